import { Browser, Page } from 'playwright-core';
import { ApiClient, expectStatus } from '../../../test/api-client';
import { ARTIFACTS, apiFor, ensureConsoleBuilt, launchChromium, newPage, pageWidth, PHONE, screenshot, signIn } from '../../../test/console-browser';
import { RunningApp, startTestApp } from '../../../test/test-app';

/** Undoing a wrong merge from the lineage picture, and merging by hand, in the web console. */
describe('web console: unmerge and merge by hand', () => {
  let running: RunningApp;
  let browser: Browser;
  let api: ApiClient;
  const ORG = 'console-merges';

  beforeAll(async () => {
    ensureConsoleBuilt();
    running = await startTestApp();
    api = apiFor(running.baseUrl, ORG);
    expectStatus(
      await api.defineAttributes('traits', [
        { attribute_name: 'interests', value_type: 'string', multi_valued: true, merge_strategy: 'combine' },
        { attribute_name: 'visits', value_type: 'integer', merge_strategy: 'sum' },
        { attribute_name: 'last_page', value_type: 'string', merge_strategy: 'overwrite' },
      ]),
      201,
    );
    expectStatus(await api.defineAttributes('identity_attributes', { attribute_name: 'email', value_type: 'string', merge_strategy: 'overwrite' }), 201);
    expectStatus(await api.request('POST', '/unification-rules', { body: { rule_name: 'Email', property_name: 'identity_attributes.email' } }), 201);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  /**
   * Two devices of one user, each with its own activity; both sign in, so B merges into A; then a
   * write reaches A through B's id. Returns the two ids.
   */
  async function twoDevicesMerged(userId: string): Promise<{ a: string; b: string }> {
    const a = await api.createProfile({ traits: { interests: ['running'], visits: 2, last_page: '/a/shoes' }, identity_attributes: { email: `${userId}@example.com` } });
    const b = await api.createProfile({ traits: { interests: ['cycling'], visits: 5, last_page: '/b/helmets' } });
    expectStatus(await api.signIn(userId, a.body.anonymous_profile_tracker), 200);
    const merged = await api.signIn(userId, b.body.anonymous_profile_tracker);
    expectStatus(merged, 200);
    expect(merged.body.profile_id).toBe(a.body.profile_id);
    const after = await api.patchProfile(b.body.profile_id, { traits: { interests: ['tennis'], visits: 1 } });
    expectStatus(after, 200);
    await api.catchUp();
    return { a: a.body.profile_id, b: b.body.profile_id };
  }

  const attributes = (page: Page) => page.locator('section[aria-labelledby="attributes"]');
  const chips = (page: Page, name: string) => attributes(page).locator(`[data-attribute="${name}"] .chip`).allInnerTexts();
  const value = (page: Page, name: string) => attributes(page).locator(`[data-attribute="${name}"] dd`).innerText();
  const timelineItem = (page: Page, type: string) => page.locator(`ol.timeline > li[data-type="${type}"]`);
  const dialog = (page: Page) => page.getByRole('dialog');
  const focusedText = (page: Page) => page.evaluate(() => (globalThis as any).document.activeElement?.textContent?.trim() ?? null);

  it('unmerges a device from the lineage picture: each profile holds exactly its own writes, and a rule match does not join them again', async () => {
    const { a, b } = await twoDevicesMerged('user-7');
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: `/profiles/${a}` });
    await page.getByRole('heading', { level: 1, name: `Profile ${a.slice(0, 8)}` }).waitFor();
    await attributes(page).locator('[data-attribute="interests"]').waitFor();
    expect(await chips(page, 'interests')).toEqual(['running', 'cycling', 'tennis']);
    expect(await value(page, 'visits')).toBe('8');

    // The Unmerge button sits on B's box in the picture.
    const lineage = page.locator('.lineage svg');
    await lineage.locator(`g.merged[data-profile-id="${b}"]`).waitFor();
    const unmerge = page.getByRole('button', { name: `Unmerge profile ${b} from this one` });
    const button = (await unmerge.boundingBox())!;
    const node = (await lineage.locator(`g.merged[data-profile-id="${b}"] rect`).boundingBox())!;
    expect(button.x).toBeGreaterThan(node.x);
    expect(button.x + button.width).toBeLessThanOrEqual(node.x + node.width);
    expect(button.y).toBeGreaterThan(node.y);
    expect(button.y + button.height).toBeLessThan(node.y + node.height);
    await page.locator('.lineage').screenshot({ path: `${ARTIFACTS}/profile-lineage-unmerge.png` });

    // The confirmation says what will happen, and the safe answer has the focus.
    await unmerge.click();
    await dialog(page).getByRole('heading', { name: `Unmerge profile ${b.slice(0, 8)}?` }).waitFor();
    const said = await dialog(page).innerText();
    expect(said).toContain('It becomes its own profile again, under its own id, with its own writes and the writes that reached this profile through its id or its tracker');
    expect(said).toContain('This profile is recomputed as if the merge had never happened');
    expect(said).toContain('that device’s sign-in is cancelled');
    expect(said).toContain('The two are kept apart: no unification rule merges them again, until someone merges them by hand');
    expect(await focusedText(page)).toBe('Cancel');
    await screenshot(page, 'profile-unmerge-confirm');
    await dialog(page).getByRole('button', { name: 'Unmerge', exact: true }).click();

    // The view changes: nothing merged in any more, A's own attributes only, and the way to B.
    await page.locator('[data-outcome="unmerged"]').waitFor();
    await dialog(page).waitFor({ state: 'detached' });
    await page.getByText('Nothing has merged into this profile').waitFor();
    expect(await chips(page, 'interests')).toEqual(['running']);
    expect(await value(page, 'visits')).toBe('2');
    expect(await value(page, 'last_page')).toBe('/a/shoes');
    expect(await page.locator('[data-outcome="unmerged"]').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await timelineItem(page, 'profile_split_off').waitFor();
    expect(await timelineItem(page, 'profile_split_off').innerText()).toContain('1 write made through its id or tracker while merged went back to it');
    expect(await page.locator(`[data-kept-apart] [data-profile-id="${b}"]`).count()).toBe(1);
    await screenshot(page, 'profile-after-unmerge');

    // The service agrees on both sides.
    const survivor = (await api.getProfile(a)).body;
    expect(survivor).toMatchObject({ profile_id: a, user_id: 'user-7', merged_from: [], traits: { interests: ['running'], visits: 2, last_page: '/a/shoes' } });
    const splitOff = (await api.getProfile(b)).body;
    expect(splitOff).toMatchObject({ profile_id: b, user_id: null, merged_from: [], traits: { interests: ['cycling', 'tennis'], visits: 6, last_page: '/b/helmets' } });

    // B, opened from the notice: its own writes, its sign-in cancelled, kept apart from A.
    await page.locator('[data-outcome="unmerged"]').getByRole('link', { name: `Open profile ${b.slice(0, 8)}` }).click();
    await page.getByRole('heading', { level: 1, name: `Profile ${b.slice(0, 8)}` }).waitFor();
    await attributes(page).locator('[data-attribute="interests"]').waitFor();
    expect(await chips(page, 'interests')).toEqual(['cycling', 'tennis']);
    expect(await value(page, 'visits')).toBe('6');
    expect(await page.locator('.facts').innerText()).toContain('anonymous (temporary profile)');
    await timelineItem(page, 'profile_restored').waitFor();
    const restored = await timelineItem(page, 'profile_restored').innerText();
    expect(restored).toContain('Restored as its own profile');
    expect(restored).toContain('1 write made through its id or tracker while merged came back to it');
    expect(restored).toContain('its user_id sign-in is cancelled');
    await page.locator(`[data-kept-apart] [data-profile-id="${a}"]`).waitFor();

    // The same e-mail on B matches A through the Email rule, but they stay apart, and B's history says why.
    expectStatus(await api.patchProfile(b, { identity_attributes: { email: 'user-7@example.com' } }), 200);
    await api.catchUp();
    await page.reload();
    await timelineItem(page, 'merge_blocked').waitFor();
    expect(await timelineItem(page, 'merge_blocked').innerText()).toContain(`rule “Email” matched ${a.slice(0, 8)}`);
    expect(await timelineItem(page, 'merge_blocked').innerText()).toContain('not merged: the two were split apart, only a merge by hand joins them');
    expect((await api.getProfile(b)).body.merged_from).toEqual([]);
    await screenshot(page, 'profile-split-off-history');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('merges a profile by hand from the keyboard, and shows the API’s refusal for profiles of different users', async () => {
    const { a, b } = await twoDevicesMerged('user-8');
    expectStatus(await api.request('POST', `/profiles/${a}/unmerge`, { body: { profile_id: b } }), 200);
    const stranger = await api.createProfile({ traits: { interests: ['chess'] } });
    expectStatus(await api.signIn('user-9', stranger.body.anonymous_profile_tracker), 200);
    await api.catchUp();

    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: `/profiles/${a}` });
    await page.locator(`[data-kept-apart] [data-profile-id="${b}"]`).waitFor();

    // Another user's profile: the API refuses, and the console says so in its words.
    await page.getByRole('button', { name: 'Merge another profile…' }).click();
    await page.getByLabel('Profile id to merge in').fill(stranger.body.profile_id);
    await dialog(page).getByRole('button', { name: 'Look up' }).click();
    await dialog(page).getByText('user_id user-9').waitFor();
    await dialog(page).getByRole('button', { name: 'Merge into this profile' }).click();
    const refusal = dialog(page).locator('[data-code="different_users"]');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('These profiles cannot merge');
    expect(await refusal.innerText()).toContain('Profiles of different users never merge');
    await screenshot(page, 'profile-merge-refused');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect((await api.getProfile(a)).body.merged_from).toEqual([]);

    // B, kept apart from A since the unmerge, merged back by hand: all from the keyboard.
    await page.getByRole('button', { name: 'Merge another profile…' }).focus();
    await page.keyboard.press('Enter');
    await dialog(page).waitFor();
    expect(await page.getByLabel('Profile id to merge in').evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(b);
    await page.keyboard.press('Enter');
    await dialog(page).locator(`[data-candidate="${b}"]`).waitFor();
    expect(await dialog(page).locator(`[data-candidate="${b}"]`).innerText()).toContain('anonymous');
    // Focus moves to what was found (after the render that shows it), then on to the actions.
    await page.waitForFunction((id) => (globalThis as any).document.activeElement?.getAttribute('data-candidate') === id, b);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Merge into this profile');
    await page.keyboard.press('Enter');

    await page.locator('[data-outcome="merged"]').waitFor();
    expect(await page.locator('[data-outcome="merged"]').innerText()).toContain(`Profile ${b.slice(0, 8)} merged into this one, by hand`);
    const node = page.locator(`.lineage svg g.merged[data-profile-id="${b}"]`);
    await node.waitFor();
    expect(await node.getAttribute('data-reason')).toBe('manual');
    expect(await node.textContent()).toContain('why: by hand');
    await page.locator('[data-kept-apart]').waitFor({ state: 'detached' });
    expect(await chips(page, 'interests')).toEqual(expect.arrayContaining(['running', 'cycling', 'tennis']));
    expect(await value(page, 'visits')).toBe('8');
    await timelineItem(page, 'merge_requested').waitFor();
    expect(await timelineItem(page, 'profile_merged_in').last().innerText()).toContain(`${b.slice(0, 8)} merged by hand`);
    expect((await api.getProfile(a)).body.merged_from).toEqual([expect.objectContaining({ profile_id: b, reason: 'manual' })]);
    await screenshot(page, 'profile-merged-by-hand');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says what a sign-in without the scope to merge lacks, instead of offering Merge and Unmerge', async () => {
    const { a, b } = await twoDevicesMerged('user-11');
    const { page, context, problems } = await newPage(browser);
    await signIn(page, running.baseUrl, ORG, { path: `/profiles/${a}`, scopes: ['internal_cds_profile_view'] });
    await page.locator(`.lineage svg g.merged[data-profile-id="${b}"]`).waitFor();
    await page.getByText('your sign-in lacks the scope to merge and unmerge profiles (internal_cds_profile_merge)').waitFor();
    expect(await page.getByRole('button', { name: /^Unmerge/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Merge another profile…' }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('fits a phone-sized screen, and Escape puts the focus back on the Unmerge button', async () => {
    const { a, b } = await twoDevicesMerged('user-10');
    const { page, context, problems } = await newPage(browser, PHONE);
    await signIn(page, running.baseUrl, ORG, { path: `/profiles/${a}` });
    const unmerge = page.getByRole('button', { name: `Unmerge profile ${b} from this one` });
    await unmerge.waitFor();
    const box = (await unmerge.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.locator('.lineage').screenshot({ path: `${ARTIFACTS}/profile-lineage-unmerge-phone.png` });

    await unmerge.focus();
    await page.keyboard.press('Enter');
    await dialog(page).getByText('The two are kept apart').waitFor();
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'profile-unmerge-confirm-phone');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    expect(await unmerge.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect((await api.getProfile(a)).body.merged_from).toEqual([expect.objectContaining({ profile_id: b })]);

    await page.getByRole('button', { name: 'Merge another profile…' }).click();
    await page.getByLabel('Profile id to merge in').fill(b);
    await dialog(page).getByRole('button', { name: 'Look up' }).click();
    await dialog(page).getByText('is already part of this one').waitFor();
    expect(await dialog(page).getByRole('button', { name: 'Merge into this profile' }).isDisabled()).toBe(true);
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'profile-merge-dialog-phone');
    expect(problems).toEqual([]);
    await context.close();
  });
});
