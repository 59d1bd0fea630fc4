// Adding a profile from an API URL: opening and closing the dialog, and
// taking the profile Rust made into the window.
import { app, loadSession, toast } from './app.svelte';
import { setUpToast } from './resource';
import type { ResourceSetUpView } from './types';

/** Opens the dialog; with a URL (the API panel's), discovery starts at once. */
export function openFromApiUrl(url: string | null = null) {
  app.fromApiUrl = { url: url ?? '', discover: !!url };
}

export const closeFromApiUrl = () => (app.fromApiUrl = null);

/** The profile is made and active: the window shows it signed out (or as it is), and says what to do next. */
export async function takeSetUp(result: ResourceSetUpView) {
  app.fromApiUrl = null;
  app.editor = null;
  app.signIn = null;
  app.overview = result.overview;
  toast(setUpToast(result));
  await loadSession();
}
