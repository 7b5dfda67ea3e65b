import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Session } from '../api/client';

export interface AppContextValue {
  session: Session;
  api: Api;
  can(scope: string): boolean;
  signOut(reason?: string): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside a signed-in console');
  return value;
}
