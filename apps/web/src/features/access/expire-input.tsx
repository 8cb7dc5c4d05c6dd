import { DateInput } from '@mantine/dates';
import type { GetInputPropsReturnType } from '@mantine/form';

/** An expiry date; empty means "never" (expire = 0 on the wire). */
export function ExpireInput(props: GetInputPropsReturnType & { label?: string }) {
  const { label = 'Expire', ...inputProps } = props;
  return (
    <DateInput
      label={label}
      placeholder="never"
      valueFormat="YYYY-MM-DD"
      clearable
      minDate={new Date()}
      {...inputProps}
    />
  );
}
