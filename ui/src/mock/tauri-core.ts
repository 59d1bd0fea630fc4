// `@tauri-apps/api/core` in `npm run dev:mock` (see vite.config.ts).
import { backend } from './dev';

export const invoke = <T>(command: string, args?: unknown): Promise<T> => backend.invoke(command, args) as Promise<T>;
