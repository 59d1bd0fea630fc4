// Opening and saving the profile editor.
import { app, loadSession, toast } from './app.svelte';
import { dropDraft } from './drafts.svelte';
import { emptyForm } from './form';
import { ipc } from './ipc';
import { attempt } from './latest';
import type { IpcError, ProfileForm } from './types';

export function openAdd() {
  app.editor = { mode: 'add', form: emptyForm(), replacing: null };
}

export async function openEdit(name: string) {
  const form = await attempt(ipc.profileGet(name));
  if (form.ok) app.editor = { mode: 'edit', form: form.value, replacing: name };
  else toast(form.error.message, 'error');
}

export const closeEditor = () => (app.editor = null);

/** Saves the editor's form; returns the error to show in the editor, if any. */
export async function saveEditor(form: ProfileForm): Promise<IpcError | null> {
  const editor = app.editor;
  if (!editor) return null;
  const saved = await attempt(ipc.profileSave(form, editor.replacing));
  if (!saved.ok) return saved.error;
  app.overview = saved.value;
  app.editor = null;
  app.signIn = null;
  toast(editor.mode === 'edit' ? `Saved ${form.name}` : `Added ${form.name}`);
  await loadSession();
  return null;
}

export async function duplicate(name: string, newName: string) {
  const duplicated = await attempt(ipc.profileDuplicate(name, newName));
  if (!duplicated.ok) return toast(duplicated.error.message, 'error');
  app.overview = duplicated.value;
  toast(`Duplicated as ${newName}`);
  await loadSession();
}

/** Removes the profile; `deleteRegistration` first deletes the client Tessera registered for it at the provider (RFC 7592). */
export async function remove(name: string, deleteRegistration = false) {
  const removed = await attempt(ipc.profileRemove(name, deleteRegistration));
  if (!removed.ok) return toast(removed.error.message, 'error');
  app.overview = removed.value;
  app.signIn = null;
  dropDraft(name);
  toast(deleteRegistration ? `Removed ${name} and its client registration at the provider` : `Removed ${name}`);
  await loadSession();
}

/** A free name for a copy: "work-copy", "work-copy-2", … */
export function copyName(name: string, taken: string[]): string {
  let candidate = `${name}-copy`;
  for (let n = 2; taken.includes(candidate); n += 1) candidate = `${name}-copy-${n}`;
  return candidate;
}
