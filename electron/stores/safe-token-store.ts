import type { SafeStorage } from 'electron';
import type { TokenStore } from '../core/client-core-types.ts';
import { FileTokenStore } from '../core/settings/file-token-store.ts';

type Encryption = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> &
  Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

export const PLAIN_TEXT_REFUSED =
  'This system has no secure credential storage (keychain, DPAPI or a Linux secret service), so Atlantic Proxy ' +
  'keeps your sign-in only until it quits instead of writing it to disk unencrypted.';

/**
 * Bearer tokens encrypted with Electron's safeStorage (macOS Keychain, Windows
 * DPAPI, the Linux secret service), one per billing service, kept as base64
 * ciphertext in a 0600 file. Without real encryption — including Linux's
 * `basic_text` fallback, which is a fixed key — nothing is written: the token
 * lives in memory for this run and `onRefused` tells the user why they will be
 * asked to sign in again.
 */
export class SafeTokenStore implements TokenStore {
  private readonly sealed: FileTokenStore;
  private readonly unsaved = new Map<string, string>();

  constructor(
    file: string,
    private readonly encryption: Encryption,
    private readonly onRefused: (message: string) => void = () => {},
  ) {
    this.sealed = new FileTokenStore(file);
  }

  read(serverUrl: string): string | undefined {
    const unsaved = this.unsaved.get(serverUrl);
    if (unsaved !== undefined) return unsaved;
    const sealed = this.sealed.read(serverUrl);
    if (sealed === undefined || !this.canEncrypt()) return undefined;
    try {
      return this.encryption.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      // Sealed by another user or keychain: as good as signed out.
      return undefined;
    }
  }

  write(serverUrl: string, token: string | undefined): void {
    this.unsaved.delete(serverUrl);
    if (token === undefined || this.canEncrypt()) {
      this.sealed.write(
        serverUrl,
        token === undefined ? undefined : this.encryption.encryptString(token).toString('base64'),
      );
      return;
    }
    // Drop any older sealed token too: it belongs to a previous sign-in.
    this.sealed.write(serverUrl, undefined);
    this.unsaved.set(serverUrl, token);
    this.onRefused(PLAIN_TEXT_REFUSED);
  }

  private canEncrypt(): boolean {
    if (!this.encryption.isEncryptionAvailable()) return false;
    return this.encryption.getSelectedStorageBackend?.() !== 'basic_text';
  }
}
