import { Browser, Page } from 'playwright-core';
import { ApiClient, expectStatus } from '../../../test/api-client';
import { apiFor, ARTIFACTS, ensureConsoleBuilt, launchChromium, newPage, pageWidth, PHONE, replaceToken, screenshot, signIn, storedSession } from '../../../test/console-browser';
import { RunningApp, startTestApp } from '../../../test/test-app';

/** The profile explorer: find seed 000's merged profile, its lineage and its history. */
describe('web console: profile explorer', () => {
  let running: RunningApp;
  let browser: Browser;
  let api: ApiClient;
  const ORG = 'console-profiles';
  let deviceA: string;
  let deviceB: string;
  let deviceC: string;
  let anonymous: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    running = await startTestApp();
    api = apiFor(running.baseUrl, ORG);
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
    expectStatus(await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }), 201);
    expectStatus(await api.request('POST', '/unification-rules', { body: { rule_name: 'Email', property_name: 'identity_attributes.email' } }), 201);
    // Seed 000: two devices, activity on each, a sign-in on each: one permanent profile.
    const a = await api.createProfile({});
    deviceA = a.body.profile_id;
    expectStatus(await api.patchProfile(deviceA, { traits: { interests: ['running'], last_page: '/a/shoes' }, identity_attributes: { email: 'sam@example.com' } }), 200);
    const b = await api.createProfile({});
    deviceB = b.body.profile_id;
    expectStatus(await api.patchProfile(deviceB, { traits: { interests: ['cycling'], last_page: '/b/helmets' } }), 200);
    expectStatus(await api.signIn('user-42', a.body.anonymous_profile_tracker), 200);
    const merged = await api.signIn('user-42', b.body.anonymous_profile_tracker);
    expectStatus(merged, 200);
    expect(merged.body.profile_id).toBe(deviceA);
    // Seed 002: a third device gives the same e-mail, and the Email rule merges it in too.
    const c = await api.createProfile({ identity_attributes: { email: 'sam@example.com' }, traits: { interests: ['yoga'] } });
    expectStatus(c, 201);
    expect(c.body.profile_id).toBe(deviceA);
    deviceC = c.body.merged_from.find((m: { reason: string }) => m.reason === 'rule').profile_id;
    // Someone else, still anonymous.
    const other = await api.createProfile({ traits: { last_page: '/c/home' } });
    anonymous = other.body.profile_id;
    await api.catchUp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const asOf = (page: Page) => page.locator('section.as-of');

  it('finds the merged profile, draws its lineage and travels through its history with the time slider', async () => {
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: '/profiles' });
    await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor();
    await page.locator(`tr[data-profile-id="${anonymous}"]`).waitFor();
    expect(await page.locator('tr[data-profile-id]').count()).toBe(2);
    await screenshot(page, 'profiles-list');

    // Search by user_id: the one permanent profile, with one profile merged into it.
    await page.getByLabel('Attribute', { exact: true }).fill('user_id');
    await page.getByLabel('Operator', { exact: true }).selectOption('eq');
    await page.getByLabel('Value', { exact: true }).fill('user-42');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/filter=user_id/);
    await page.locator('tr[data-profile-id]').first().waitFor();
    expect(await page.locator('tr[data-profile-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-profile-id')))).toEqual([deviceA]);
    expect(await page.locator(`tr[data-profile-id="${deviceA}"]`).innerText()).toContain('2 profiles');
    await screenshot(page, 'profiles-search');

    await page.getByRole('link', { name: `Open profile ${deviceA}` }).click();
    await page.getByRole('heading', { level: 1, name: `Profile ${deviceA.slice(0, 8)}` }).waitFor();
    // Its attributes by scope: both devices' interests (combine), the last device's page (overwrite).
    const now = page.locator('section[aria-labelledby="attributes"]');
    await now.locator('[data-attribute="interests"]').waitFor();
    expect(await now.locator('[data-attribute="interests"] .chip').allInnerTexts()).toEqual(['running', 'cycling', 'yoga']);
    expect(await now.locator('[data-attribute="last_page"] dd').innerText()).toBe('/b/helmets');

    // The lineage picture: device B merged in because of the same user_id, device C by the Email rule.
    const lineage = page.locator('.lineage svg');
    await lineage.waitFor();
    expect(await lineage.getAttribute('data-merges')).toBe('2');
    const nodeB = lineage.locator(`g.merged[data-profile-id="${deviceB}"]`);
    expect(await nodeB.getAttribute('data-reason')).toBe('user_id');
    expect(await nodeB.textContent()).toContain('why: same user_id');
    expect(await nodeB.textContent()).toContain('triggered by the merged profile');
    const nodeC = lineage.locator(`g.merged[data-profile-id="${deviceC}"]`);
    expect(await nodeC.getAttribute('data-reason')).toBe('rule');
    expect(await nodeC.textContent()).toContain('why: rule “Email”');
    expect(await lineage.locator('desc').textContent()).toContain(`Profile ${deviceB} merged in`);
    await page.locator('.lineage').screenshot({ path: `${ARTIFACTS}/profile-lineage.png` });

    // The history: the events of both profiles, in log order.
    const timeline = page.locator('ol.timeline > li');
    await timeline.first().waitFor();
    const types = await timeline.evaluateAll((items) => items.map((li) => li.getAttribute('data-type')));
    expect(types.filter((t) => t === 'profile_created')).toHaveLength(3);
    expect(types).toContain('attributes_written');
    expect(types).toContain('profile_merged_in');
    await screenshot(page, 'profile-detail');

    // The time slider: at the first event the profile had no traits yet ...
    const slider = page.getByLabel('Time travel: show the profile as it was after an event');
    await slider.focus();
    await page.keyboard.press('Home');
    await asOf(page).getByText('No traits.').waitFor();
    // ... after the second, only device A's interest; the picture says it differs from now.
    await page.keyboard.press('ArrowRight');
    await asOf(page).locator('[data-attribute="interests"]').waitFor();
    expect(await asOf(page).locator('[data-attribute="interests"] .chip').allInnerTexts()).toEqual(['running']);
    expect(await asOf(page).locator('[data-attribute="interests"]').innerText()).toContain('differs from now');
    expect(await page.locator('#history-output').innerText()).toMatch(/^As of .* log position \d+ .* \(event 2 of \d+\)$/);
    expect(await page.locator('ol.timeline > li.future').count()).toBe(types.length - 2);
    await screenshot(page, 'profile-history-slider');
    // At the last event the profile is as it is now.
    await page.keyboard.press('End');
    await page.getByText('as it is now').waitFor();
    await asOf(page).waitFor({ state: 'detached' });

    // Any event's own button does the same.
    await page.getByRole('button', { name: /^Show the profile as it was after event 1,/ }).click();
    await asOf(page).getByText('No traits.').waitFor();
    expect(Number(await slider.inputValue())).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('opens a merged-away id at its survivor and works on a phone-sized screen', async () => {
    const { page, context, problems } = await newPage(browser, PHONE);
    await signIn(page, running.baseUrl, ORG, { path: '/profiles' });
    await page.getByLabel('Open a profile by id').fill(deviceB);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator('[data-merged-notice]').waitFor();
    expect(await page.locator('[data-merged-notice]').innerText()).toContain(deviceB);
    await page.getByRole('heading', { level: 1, name: `Profile ${deviceA.slice(0, 8)}` }).waitFor();
    await page.locator(`.lineage svg g.merged[data-profile-id="${deviceB}"]`).waitFor();
    await page.locator('ol.timeline > li').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'profile-detail-phone');
    await page.locator('.lineage').screenshot({ path: `${ARTIFACTS}/profile-lineage-phone.png` });
    await page.getByLabel('Time travel: show the profile as it was after an event').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.locator('section.as-of [data-attribute="interests"]').waitFor();
    await screenshot(page, 'profile-history-slider-phone');

    // The list on a phone: rows become cards.
    await page.getByRole('link', { name: 'Profiles', exact: true }).click();
    await page.locator('tr[data-profile-id]').first().waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'profiles-list-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('explains empty results, bad filters, unknown profiles, a missing scope and an ended session', async () => {
    const { page, context } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: '/profiles?filter=user_id%20eq%20nobody' });
    await page.getByText('No profile matches').waitFor();
    await page.getByText('Nothing matches “user_id eq nobody”').waitFor();

    await page.goto(`${running.baseUrl}/console/profiles?filter=${encodeURIComponent('traits.shoe_size eq 42')}`);
    await page.getByText('Please check what you entered').waitFor();
    await page.getByText('Cannot filter by "traits.shoe_size eq 42"').waitFor();
    await page.getByText('traits.shoe_size is not a defined attribute').waitFor();
    await screenshot(page, 'profiles-bad-filter');

    await page.getByLabel('Open a profile by id').fill('not-an-id');
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByText('A profile id is a UUID').waitFor();

    await page.goto(`${running.baseUrl}/console/profiles/3f1e2d3c-4b5a-4968-8776-655443322110`);
    await page.getByText('Not found', { exact: true }).waitFor();
    await page.getByText('No profile 3f1e2d3c-4b5a-4968-8776-655443322110').waitFor();

    // The service answers 403 for a token without the scope (here: one that can only read the schema).
    const narrow = await api.token('internal_cds_profile_schema_view');
    await replaceToken(page, narrow);
    await page.goto(`${running.baseUrl}/console/profiles`);
    const notice = page.locator('[data-code="insufficient_scope"]');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('Missing permission');
    expect(await notice.innerText()).toContain('view profiles (internal_cds_profile_view)');
    await screenshot(page, 'profiles-missing-scope');

    // A token the service no longer accepts ends the session with a reason.
    await replaceToken(page, 'not.a.token');
    await page.goto(`${running.baseUrl}/console/profiles`);
    await page.getByText('Your session has ended').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await storedSession(page)).toBeNull();
    await context.close();
  });
});
