import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { ApiClient } from './api-client';

/** Drives the web console in the system's headless Chromium (Debian's `chromium` package). */

const REPO = resolve(__dirname, '..', '..', '..');
export const ARTIFACTS = join(REPO, 'test-artifacts', 'console');
export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 390, height: 844 };

/** The credentials `startTestApp()` gives the built-in issuer. */
export const CLIENT = { id: 'test-client', secret: 'test-secret' };

/** `CHROMIUM_PATH`, or `chromium` / `chromium-browser` found on the PATH. */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  throw new Error('No Chromium found: install Debian\'s chromium package (scripts/test-all.sh does) or set CHROMIUM_PATH');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The specs run against `dist/console`; a checkout that has not built it yet builds it once. */
export function ensureConsoleBuilt(): void {
  if (existsSync(join(REPO, 'dist', 'console', 'index.html'))) return;
  execFileSync('npm', ['run', '--silent', 'build:console'], { cwd: REPO, stdio: 'inherit' });
}

export async function newPage(browser: Browser, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'UTC', reducedMotion: 'reduce' });
  const page = await context.newPage();
  // Anything the page logs as an error, or throws, fails the spec that checks `problems`.
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** Signs in through the console's own form, as a person would. */
export async function signIn(page: Page, baseUrl: string, org: string, options: { path?: string; scopes?: string[] } = {}): Promise<void> {
  await page.goto(`${baseUrl}/console${options.path ?? '/'}`);
  await page.getByLabel('Organization').fill(org);
  await page.getByLabel('Client ID').fill(CLIENT.id);
  await page.getByLabel('Client secret').fill(CLIENT.secret);
  if (options.scopes) {
    await page.getByLabel('Only the scopes I choose').check();
    for (const box of await page.locator('input[name="scope"]').all()) {
      const value = await box.getAttribute('value');
      await box.setChecked(options.scopes.includes(value ?? ''));
    }
  }
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('header').getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The API's own view, for checking what the console did. */
export function apiFor(baseUrl: string, org: string): ApiClient {
  return new ApiClient(baseUrl, org, { clientId: CLIENT.id, clientSecret: CLIENT.secret });
}

// What runs inside the page is typed loosely: these specs compile without the DOM library.
type PageGlobals = { document: any; sessionStorage: any };

/** The page's full width: wider than the viewport means sideways scrolling on a phone. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth as number);
}

/** The aria-label of whatever has the keyboard focus. */
export function focusedLabel(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('aria-label') ?? null);
}

export const SESSION_KEY = 'cds-console.session';

/** The session the console keeps in this tab, or null. */
export function storedSession(page: Page): Promise<string | null> {
  return page.evaluate((key) => (globalThis as unknown as PageGlobals).sessionStorage.getItem(key) as string | null, SESSION_KEY);
}

/** Swaps the tab's token for another, as if the service had issued a different one. */
export async function replaceToken(page: Page, token: string): Promise<void> {
  await page.evaluate(
    ([key, value]) => {
      const storage = (globalThis as unknown as PageGlobals).sessionStorage;
      storage.setItem(key, JSON.stringify({ ...JSON.parse(storage.getItem(key)), accessToken: value }));
    },
    [SESSION_KEY, token] as const,
  );
}
