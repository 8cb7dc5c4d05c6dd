import { Alert, Button, Center, Paper, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { z } from 'zod';
import { ProductTitle } from '../../components/product-title';
import { toAppError } from '../../lib/errors';
import { zodValidate } from '../../lib/form';
import { safeNextPath, setCsrfToken } from '../../lib/session';
import { useTRPC } from '../../lib/trpc';
import { useServerInfo } from '../../lib/use-server-info';

const LoginFormSchema = z.object({
  username: z.string().trim().min(1, 'user name is required'),
  realm: z.string().min(1, 'realm is required'),
  password: z.string().min(1, 'password is required'),
});
type LoginForm = z.infer<typeof LoginFormSchema>;

export function LoginPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const info = useServerInfo();
  const realms = useQuery(trpc.auth.realms.queryOptions(undefined, { staleTime: Infinity }));
  const form = useForm<LoginForm>({
    initialValues: { username: '', realm: 'pbs', password: '' },
    validate: zodValidate(LoginFormSchema),
  });
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      meta: { handlesErrors: true, unauthenticatedIsExpected: true },
      onSuccess: async (session) => {
        setCsrfToken(session.csrfToken);
        // Whatever was cached belonged to the previous session.
        queryClient.clear();
        await navigate(safeNextPath(params.get('next')), { replace: true });
      },
    }),
  );

  const realmOptions = (realms.data ?? [{ realm: 'pbs', comment: 'Backup Server authentication' }]).map(
    (r) => ({
      value: r.realm,
      label: r.comment === '' ? r.realm : `${r.comment} (${r.realm})`,
    }),
  );

  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <form onSubmit={form.onSubmit((values) => login.mutate(values))} noValidate>
          <Stack>
            <ProductTitle
              product={info.data?.product}
              version={info.data?.version}
              bugTrackerUrl={info.data?.bugTrackerUrl}
            />
            <TextInput
              label="User name"
              autoComplete="username"
              required
              data-autofocus
              {...form.getInputProps('username')}
            />
            <Select
              label="Realm"
              data={realmOptions}
              allowDeselect={false}
              required
              {...form.getInputProps('realm')}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              {...form.getInputProps('password')}
            />
            {login.error !== null && (
              <Alert color="red" role="alert" title="Login failed">
                {toAppError(login.error).message}
              </Alert>
            )}
            <Button type="submit" loading={login.isPending}>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
