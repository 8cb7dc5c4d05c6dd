import { logIn } from '../fixtures/login.js';
import { expect, test } from '../fixtures/server.js';

test('follow a running task live, reload, stop it, find it in the list', async ({ page, server }) => {
  // The task logs a few lines, then waits until the test releases it or someone stops it.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let logMore: (line: string) => void = () => undefined;
  const upid = await server.services.tasks.spawn({
    type: 'e2e-demo',
    id: 'journey',
    authId: 'admin@pbs',
    run: async (ctx) => {
      logMore = (line) => ctx.log(line);
      for (let i = 1; i <= 5; i++) ctx.log(`demo line ${i}`);
      await new Promise<void>((resolve, reject) => {
        ctx.signal.addEventListener('abort', () => reject(new Error('stopped by the e2e test')), {
          once: true,
        });
        void gate.then(resolve);
      });
      ctx.log('released');
    },
  });

  try {
    await logIn(page);
    // Open the bookmarkable task page directly.
    await page.goto(`/tasks/${encodeURIComponent(upid)}`);
    await expect(page.getByRole('heading', { name: 'e2e-demo journey' })).toBeVisible();
    const log = page.getByRole('log', { name: 'Task log' });
    await expect(log).toContainText('demo line 5');
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
    const details = page.getByRole('table', { name: 'Task details' });
    await expect(details).toContainText(upid);
    await expect(details.getByRole('row', { name: /Status/ })).toContainText('running');

    // Lines written now arrive without a reload.
    logMore('live line 6');
    await expect(log).toContainText('live line 6');

    // A reload shows the same log.
    await page.reload();
    await expect(page.getByRole('log', { name: 'Task log' })).toContainText('demo line 1');
    await expect(page.getByRole('log', { name: 'Task log' })).toContainText('live line 6');

    // Stop it (with confirmation): it ends with an error status.
    await page.getByRole('button', { name: 'Stop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Stop task' });
    await expect(confirm).toContainText('e2e-demo journey');
    await confirm.getByRole('button', { name: 'Stop task' }).click();
    await expect(details.getByRole('row', { name: /Status/ })).toContainText('error');
    await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
    await expect(page.getByRole('log', { name: 'Task log' })).toContainText('TASK ERROR');
    await expect(page.getByRole('link', { name: 'Download log' })).toHaveAttribute(
      'href',
      `/api2/json/nodes/localhost/tasks/${encodeURIComponent(upid)}/log?download=1`,
    );

    // The task list shows it; its row links to the task page.
    await page.goto('/tasks?type=e2e-demo');
    const row = page.getByRole('table', { name: 'Tasks' }).getByRole('row', { name: /e2e-demo/ });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('error');
    const link = row.getByRole('link', { name: 'e2e-demo' });
    await expect(link).toHaveAttribute('href', `/tasks/${encodeURIComponent(upid)}`);
    await link.click();
    await expect(page).toHaveURL(new URL(`/tasks/${encodeURIComponent(upid)}`, server.url).href);
    await expect(page.getByRole('log', { name: 'Task log' })).toContainText('demo line 3');
  } finally {
    release();
  }
});
