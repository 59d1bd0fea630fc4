// `@tauri-apps/api/event` in `npm run dev:mock` (see vite.config.ts).
import { backend } from './dev';

export type UnlistenFn = () => void;
export const listen = <T>(event: string, handler: (e: { event: string; id: number; payload: T }) => void): Promise<UnlistenFn> =>
  backend.listen(event, handler as (e: { event: string; id: number; payload: unknown }) => void);
