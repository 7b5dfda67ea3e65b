import { Browser, Page } from 'playwright-core';
import { ApiClient, expectStatus } from '../../../test/api-client';
import { apiFor, ensureConsoleBuilt, focusedLabel, launchChromium, newPage, pageWidth, PHONE, screenshot, signIn } from '../../../test/console-browser';
import { RunningApp, startTestApp } from '../../../test/test-app';

/** Seed 002's "reorder identities by drag handle, then Save priorities", in the web console. */
describe('web console: unification rules', () => {
  let running: RunningApp;
  let browser: Browser;
  let api: ApiClient;
  const ORG = 'console-rules';

  interface Rule {
    rule_id: string;
    rule_name: string;
    priority: number;
    is_active: boolean;
    immutable: boolean;
  }

  beforeAll(async () => {
    ensureConsoleBuilt();
    running = await startTestApp();
    api = apiFor(running.baseUrl, ORG);
    expectStatus(
      await api.defineAttributes('identity_attributes', [
        { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' },
        { attribute_name: 'member_id', value_type: 'string', merge_strategy: 'oldest' },
        { attribute_name: 'phone', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
    for (const rule of [
      { rule_name: 'Email', property_name: 'identity_attributes.email' },
      { rule_name: 'Member', property_name: 'identity_attributes.member_id', immutable: true },
      { rule_name: 'Phone', property_name: 'identity_attributes.phone' },
    ]) {
      expectStatus(await api.request('POST', '/unification-rules', { body: rule }), 201);
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const shown = (page: Page) => page.locator('li[data-rule-name]').evaluateAll((items) => items.map((li) => li.getAttribute('data-rule-name')));
  const saved = async () => ((await api.request('GET', '/unification-rules')).body as Rule[]).map((r) => [r.rule_name, r.priority]);
  const handle = (page: Page, name: string) => page.getByRole('button', { name: new RegExp(`^Move ${name},`) });
  /** Waits until the console's live region says `text`. */
  const announced = (page: Page, text: string) => page.locator('[aria-live="polite"][aria-atomic="true"]', { hasText: text }).waitFor();

  it('reorders by dragging a handle, then saves the priorities in one step', async () => {
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: '/rules' });
    await page.getByRole('heading', { level: 1, name: 'Unification rules' }).waitFor();
    await page.locator('li[data-rule-name]').first().waitFor();
    expect(await shown(page)).toEqual(['Email', 'Member', 'Phone']);
    // Immutable flags and active toggles are shown for each rule.
    expect(await page.locator('li[data-rule-name="Member"] .tag').innerText()).toContain('Immutable');
    expect(await page.locator('li[data-rule-name="Email"] .tag').innerText()).toBe('Mutable');
    expect(await page.getByRole('switch', { name: 'Email active' }).getAttribute('aria-checked')).toBe('true');
    const save = page.getByRole('button', { name: 'Save priorities' });
    expect(await save.isDisabled()).toBe(true);
    await screenshot(page, 'rules-desktop');

    // Drag Phone by its handle above Email.
    const from = (await handle(page, 'Phone').boundingBox())!;
    const to = (await handle(page, 'Email').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2 - 10, { steps: 4 });
    await page.mouse.move(to.x + to.width / 2, to.y + 2, { steps: 4 });
    await screenshot(page, 'rules-dragging');
    await page.mouse.up();
    expect(await shown(page)).toEqual(['Phone', 'Email', 'Member']);
    await page.getByText('The order has changed').waitFor();
    expect(await page.locator('li[data-rule-name="Phone"] .was').innerText()).toBe('was 3');
    // Nothing is saved until Save priorities.
    expect(await saved()).toEqual([['Email', 1], ['Member', 2], ['Phone', 3]]);
    await screenshot(page, 'rules-reordered-unsaved');

    const puts: unknown[] = [];
    page.on('request', (request) => request.method() === 'PUT' && puts.push(request.postDataJSON()));
    await save.click();
    await page.getByText('Priorities saved.').waitFor();
    expect(await saved()).toEqual([['Phone', 1], ['Email', 2], ['Member', 3]]);
    expect(puts).toHaveLength(1);
    expect(puts[0]).toEqual({ priorities: [expect.objectContaining({ priority: 1 }), expect.objectContaining({ priority: 2 }), expect.objectContaining({ priority: 3 })] });
    expect(await save.isDisabled()).toBe(true);

    // The active toggle changes the rule right away.
    await page.getByRole('switch', { name: 'Email active' }).click();
    await page.locator('li[data-rule-name="Email"] [role="switch"][aria-checked="false"]').waitFor();
    expect(((await api.request('GET', '/unification-rules')).body as Rule[]).find((r) => r.rule_name === 'Email')?.is_active).toBe(false);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reorders from the keyboard: Space picks up, arrows move, Space drops, Escape puts back, Alt+Arrow moves at once', async () => {
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: '/rules' });
    await page.locator('li[data-rule-name]').first().waitFor();
    const start = await shown(page);
    expect(start).toEqual(['Phone', 'Email', 'Member']);

    // Member (3rd) to the top.
    await handle(page, 'Member').focus();
    await page.keyboard.press('Space');
    expect(await handle(page, 'Member').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await shown(page)).toEqual(['Member', 'Phone', 'Email']);
    // Focus stays on the handle that moves, and the move is announced.
    expect(await focusedLabel(page)).toMatch(/^Move Member, priority 1 of 3/);
    await announced(page, 'Member, moved to position 1 of 3');
    await page.keyboard.press('Space');
    expect(await handle(page, 'Member').getAttribute('aria-pressed')).toBe('false');

    // Escape puts a picked-up rule back where it was.
    await handle(page, 'Email').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Home');
    expect(await shown(page)).toEqual(['Email', 'Member', 'Phone']);
    await page.keyboard.press('Escape');
    expect(await shown(page)).toEqual(['Member', 'Phone', 'Email']);

    // Alt+Arrow moves without picking up.
    await handle(page, 'Phone').focus();
    await page.keyboard.press('Alt+ArrowDown');
    expect(await shown(page)).toEqual(['Member', 'Email', 'Phone']);
    await screenshot(page, 'rules-keyboard-reordered');

    // Tab to Save priorities and press Enter: everything from the keyboard.
    await page.getByRole('button', { name: 'Save priorities' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Priorities saved.').waitFor();
    expect(await saved()).toEqual([['Member', 1], ['Email', 2], ['Phone', 3]]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works on a phone-sized screen and explains an empty list', async () => {
    const { page, context, problems } = await newPage(browser, PHONE);
    await signIn(page, running.baseUrl, ORG, { path: '/rules' });
    await page.locator('li[data-rule-name]').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'rules-phone');
    await context.close();

    const other = await newPage(browser, PHONE);
    await signIn(other.page, running.baseUrl, 'console-no-rules', { path: '/rules' });
    await other.page.getByText('No unification rules yet').waitFor();
    await other.page.getByText('Without rules, profiles merge only when they share a user_id, at sign-in.').waitFor();
    await screenshot(other.page, 'rules-empty-phone');
    expect([...problems, ...other.problems]).toEqual([]);
    await other.context.close();
  });

  it('edits a rule’s safeguards, blocked values and a limit of joined profiles, and shows the API’s own messages', async () => {
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: '/rules' });
    await page.getByRole('button', { name: 'Edit rule Member' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByLabel('Property').isDisabled()).toBe(true);
    for (const value of ['null', 'N/A', 'null']) {
      await dialog.getByLabel('Blocked values').fill(value);
      await dialog.getByRole('button', { name: 'Add value' }).click();
    }
    // Values are exact: the second "null" is not added twice.
    await dialog.getByText('"null" is in the list already.').waitFor();
    expect(await dialog.locator('li[data-value]').evaluateAll((items) => items.map((li) => li.getAttribute('data-value')))).toEqual(['null', 'N/A']);
    await dialog.getByRole('button', { name: 'Remove blocked value "N/A"' }).click();
    expect(await dialog.getByLabel('Blocked values').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // The API judges the limit, and its words appear at the field.
    const limit = dialog.getByLabel('Most profiles joined through this rule');
    await limit.fill('1');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.getByText('max_profiles must not be less than 2').waitFor();
    expect(await limit.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'rules-safeguards-problem');
    await limit.fill('3');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('li[data-rule-name="Member"] [data-safeguards]').getByText('joins at most 3 profiles').waitFor();
    const member = () => api.request('GET', '/unification-rules').then((r) => (r.body as Array<Rule & { blocked_values?: string[]; max_profiles?: number | null }>).find((x) => x.rule_name === 'Member'));
    expect(await member()).toMatchObject({ blocked_values: ['null'], max_profiles: 3, immutable: true });
    await screenshot(page, 'rules-safeguards');

    // An empty box is no limit.
    await page.getByRole('button', { name: 'Edit rule Member' }).click();
    await dialog.getByLabel('Most profiles joined through this rule').fill('');
    await dialog.getByRole('button', { name: 'Save rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('li[data-rule-name="Member"] [data-safeguards]').getByText('joins at most').waitFor({ state: 'detached' });
    expect(await member()).toMatchObject({ blocked_values: ['null'], max_profiles: null });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('adds a rule on a defined identity attribute and removes it after confirming', async () => {
    const fresh = apiFor(running.baseUrl, 'console-new-rule');
    expectStatus(await fresh.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }), 201);
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, 'console-new-rule', { path: '/rules' });
    await page.getByText('No unification rules yet').waitFor();
    await page.getByRole('button', { name: 'New rule' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Rule name').fill('Email');
    await dialog.getByLabel('Property').selectOption('identity_attributes.email');
    await dialog.getByLabel(/^Immutable/).check();
    // A value shared by many people never matches; Enter adds it to the list without sending the form.
    await dialog.getByLabel('Blocked values').fill('unknown@example.com');
    await dialog.getByLabel('Blocked values').press('Enter');
    await dialog.locator('li[data-value="unknown@example.com"]').waitFor();
    await dialog.getByLabel('Most profiles joined through this rule').fill('5');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('li[data-rule-name="Email"]').waitFor();
    expect(await page.locator('li[data-rule-name="Email"] .tag').innerText()).toContain('Immutable');
    expect(await page.locator('li[data-rule-name="Email"] [data-safeguards]').innerText()).toMatch(/1 blocked value: "unknown@example.com"\s*joins at most 5 profiles/);
    expect((await fresh.request('GET', '/unification-rules')).body).toEqual([
      expect.objectContaining({
        rule_name: 'Email',
        property_name: 'identity_attributes.email',
        priority: 1,
        immutable: true,
        is_active: true,
        blocked_values: ['unknown@example.com'],
        max_profiles: 5,
      }),
    ]);
    await page.getByRole('button', { name: 'Remove rule Email' }).click();
    await dialog.getByRole('button', { name: 'Remove rule' }).click();
    await page.getByText('No unification rules yet').waitFor();
    expect((await fresh.request('GET', '/unification-rules')).body).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
