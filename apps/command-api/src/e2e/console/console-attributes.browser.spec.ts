import { Browser, Page } from 'playwright-core';
import { ApiClient, expectStatus } from '../../../test/api-client';
import { apiFor, ensureConsoleBuilt, launchChromium, newPage, pageWidth, PHONE, screenshot, signIn } from '../../../test/console-browser';
import { RunningApp, startTestApp } from '../../../test/test-app';
import { ALL_SCOPES } from '../../auth/scopes';

/** Seed 000's "Customer Data → Profile Attributes → New attribute", in the web console. */
describe('web console: profile attributes', () => {
  let running: RunningApp;
  let browser: Browser;
  let api: ApiClient;
  const ORG = 'console-attrs';

  beforeAll(async () => {
    ensureConsoleBuilt();
    running = await startTestApp();
    api = apiFor(running.baseUrl, ORG);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const row = (page: Page, name: string) => page.locator(`tr[data-attribute="${name}"]`);
  const dialog = (page: Page) => page.getByRole('dialog');

  it('defines an attribute with the API\'s own validation, edits it and deletes it after confirming', async () => {
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG);

    // The console opens on the attributes of the traits scope: none yet, and it says so.
    await page.getByRole('heading', { level: 1, name: 'Profile attributes' }).waitFor();
    await page.getByText('No traits yet').waitFor();
    await screenshot(page, 'attributes-empty');

    // New attribute: combine without multi-valued is refused before anything is sent, in the API's words.
    const posts: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && request.url().includes('/profile-schema/') && posts.push(request.url()));
    await page.getByRole('button', { name: 'New attribute' }).first().click();
    await dialog(page).getByRole('heading', { name: 'New attribute' }).waitFor();
    await page.getByLabel('Attribute name').fill('interests');
    await page.getByLabel('Value type').selectOption('string');
    await page.getByLabel('Merge strategy').selectOption('combine');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    const strategy = page.getByLabel('Merge strategy');
    await page.getByText('combine requires multi_valued: true').waitFor();
    expect(await strategy.getAttribute('aria-invalid')).toBe('true');
    expect(await strategy.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect(posts).toEqual([]);
    await screenshot(page, 'attribute-form-combine-needs-multi-valued');

    // Ticking multi-valued clears the problem; saving defines it.
    await page.getByLabel('Multi-valued (a list of values)').check();
    expect(await page.getByText('combine requires multi_valued: true').count()).toBe(0);
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await row(page, 'traits.interests').waitFor();
    expect(await row(page, 'traits.interests').innerText()).toMatch(/string[\s\S]*yes, up to 1000[\s\S]*combine/);
    expect(posts).toHaveLength(1);
    const defined = (await api.readSchema('traits')).body;
    expect(defined).toEqual([expect.objectContaining({ attribute_name: 'traits.interests', multi_valued: true, merge_strategy: 'combine' })]);

    // What only the API can know (the name is taken) comes back next to the field, in its words.
    // This time from the keyboard: the dialog opens on its first field.
    await page.getByRole('button', { name: 'New attribute' }).first().focus();
    await page.keyboard.press('Enter');
    await dialog(page).waitFor();
    expect(await page.getByLabel('Attribute name').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('interests');
    await page.getByLabel('Multi-valued (a list of values)').check();
    await page.getByLabel('Merge strategy').selectOption('combine');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await dialog(page).getByText('already defined').waitFor();
    expect(await page.getByLabel('Attribute name').getAttribute('aria-invalid')).toBe('true');
    // Escape closes the dialog, nothing changed, and the focus is back where it was.
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'New attribute' }).first().evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // sum needs a single-valued number; a counter is an integer.
    await page.getByRole('button', { name: 'New attribute' }).first().click();
    await page.getByLabel('Attribute name').fill('visits');
    await page.getByLabel('Merge strategy').selectOption('sum');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await page.getByText('sum requires a single-valued integer or decimal attribute').waitFor();
    await page.getByLabel('Value type').selectOption('integer');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await row(page, 'traits.visits').waitFor();

    // Edit: the name and value type are fixed, the cap of a multi-valued attribute is not.
    await page.getByRole('button', { name: 'Edit traits.interests' }).click();
    expect(await page.getByLabel('Attribute name').isDisabled()).toBe(true);
    expect(await page.getByLabel('Value type').isDisabled()).toBe(true);
    await page.getByLabel('Most values kept').fill('0');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await page.getByText('must be an integer from 1 to 100000').waitFor();
    await page.getByLabel('Most values kept').fill('50');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await row(page, 'traits.interests').getByText('yes, up to 50').waitFor();

    // Application data needs the application's client id.
    await page.getByRole('link', { name: 'Application data' }).click();
    await page.getByText('No application data yet').waitFor();
    await page.getByRole('button', { name: 'New attribute' }).first().click();
    await page.getByLabel('Attribute name').fill('viewed_products');
    await page.getByLabel('Multi-valued (a list of values)').check();
    await page.getByLabel('Merge strategy').selectOption('combine');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await page.getByText('application_data attributes need the application client id (letters, digits, _ and -)').waitFor();
    await page.getByLabel('Application identifier').fill('shop_web');
    await screenshot(page, 'attribute-form-application-data');
    await dialog(page).getByRole('button', { name: 'Save' }).click();
    await row(page, 'application_data.viewed_products').getByText('shop_web').waitFor();

    // Deleting asks first; Cancel keeps it, confirming removes it.
    await page.getByRole('link', { name: 'Traits' }).click();
    await page.getByRole('button', { name: 'Delete traits.visits' }).click();
    await dialog(page).getByRole('heading', { name: 'Delete traits.visits?' }).waitFor();
    await screenshot(page, 'attribute-delete-confirm');
    await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    expect(await row(page, 'traits.visits').count()).toBe(1);
    await page.getByRole('button', { name: 'Delete traits.visits' }).click();
    await dialog(page).getByRole('button', { name: 'Delete attribute' }).click();
    await row(page, 'traits.visits').waitFor({ state: 'detached' });
    expect((await api.readSchema('traits')).body.map((d: { attribute_name: string }) => d.attribute_name)).toEqual(['traits.interests']);

    await screenshot(page, 'attributes-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works on a phone-sized screen', async () => {
    expectStatus(await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }), 201);
    const { page, context, problems } = await newPage(browser, PHONE);
    await signIn(page, running.baseUrl, ORG, { path: '/attributes?scope=identity_attributes' });
    await row(page, 'identity_attributes.email').waitFor();
    // Nothing is wider than the screen.
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'attributes-phone');
    await page.getByRole('button', { name: 'New attribute' }).first().click();
    await page.getByLabel('Attribute name').fill('phone');
    await screenshot(page, 'attribute-form-phone');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await row(page, 'identity_attributes.phone').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('explains a sign-in that failed and one without the scope to manage attributes', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${running.baseUrl}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to the console' }).waitFor();
    // The scopes on offer are the API's.
    await page.getByLabel('Only the scopes I choose').check();
    expect(await page.locator('input[name="scope"]').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('value')))).toEqual([...ALL_SCOPES]);
    await screenshot(page, 'sign-in');
    await page.getByLabel('Everything this client is allowed').check();
    await page.getByLabel('Organization').fill('Not A Handle');
    await page.getByLabel('Client ID').fill('test-client');
    await page.getByLabel('Client secret').fill('wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Organization handles are lower-case letters, digits, _ and -, at most 64').waitFor();
    await page.getByLabel('Organization').fill(ORG);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Sign-in failed').waitFor();
    await page.getByText('Unknown client or wrong secret').waitFor();
    await screenshot(page, 'sign-in-failed');
    await context.close();

    const viewer = await newPage(browser);
    await signIn(viewer.page, running.baseUrl, ORG, { scopes: ['internal_cds_profile_schema_view'] });
    await viewer.page.getByText('You can look but not change').waitFor();
    expect(await viewer.page.getByRole('button', { name: 'New attribute' }).isDisabled()).toBe(true);
    // The other pages say which scope they need.
    await viewer.page.getByRole('link', { name: 'Unification rules' }).click();
    await viewer.page.getByText('Missing permission').waitFor();
    await viewer.page.getByText(/internal_cds_unification_rules_view/).first().waitFor();
    await screenshot(viewer.page, 'rules-missing-scope');
    await viewer.context.close();
  });
});
