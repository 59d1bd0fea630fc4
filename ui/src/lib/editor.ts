// Opening and saving the profile editor.
import { app, loadSession, toast } from './app.svelte';
import { dropDraft } from './drafts.svelte';
import { emptyForm } from './form';
import * as ipc from './ipc';
import type { IpcError, ProfileForm } from './types';

export function openAdd() {
  app.editor = { mode: 'add', form: emptyForm(), replacing: null };
}

export async function openEdit(name: string) {
  try {
    app.editor = { mode: 'edit', form: await ipc.profileGet(name), replacing: name };
  } catch (e) {
    toast((e as IpcError).message, 'error');
  }
}

export const closeEditor = () => (app.editor = null);

/** Saves the editor's form; returns the error message to show in the editor, if any. */
export async function saveEditor(form: ProfileForm): Promise<string | null> {
  const editor = app.editor;
  if (!editor) return null;
  try {
    app.overview = await ipc.profileSave(form, editor.replacing);
    app.editor = null;
    app.signIn = null;
    toast(editor.mode === 'edit' ? `Saved ${form.name}` : `Added ${form.name}`);
    await loadSession();
    return null;
  } catch (e) {
    return (e as IpcError).message;
  }
}

export async function duplicate(name: string, newName: string) {
  try {
    app.overview = await ipc.profileDuplicate(name, newName);
    toast(`Duplicated as ${newName}`);
    await loadSession();
  } catch (e) {
    toast((e as IpcError).message, 'error');
  }
}

export async function remove(name: string) {
  try {
    app.overview = await ipc.profileRemove(name);
    app.signIn = null;
    dropDraft(name);
    toast(`Removed ${name}`);
    await loadSession();
  } catch (e) {
    toast((e as IpcError).message, 'error');
  }
}

/** A free name for a copy: "work-copy", "work-copy-2", … */
export function copyName(name: string, taken: string[]): string {
  let candidate = `${name}-copy`;
  for (let n = 2; taken.includes(candidate); n += 1) candidate = `${name}-copy-${n}`;
  return candidate;
}
