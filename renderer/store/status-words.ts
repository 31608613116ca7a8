import type { ConnectionView } from '../../shared/ipc/views.ts';

/** The header's and sidebar's one word for the connection; "ended" only until the user moves on. */
export type StatusTone = 'disconnected' | 'connecting' | 'connected' | 'ended';

export function statusOf(connection: ConnectionView, endAcknowledged: boolean): { tone: StatusTone; word: string } {
  switch (connection.status) {
    case 'connected':
      return { tone: 'connected', word: 'Connected' };
    case 'connecting':
      return { tone: 'connecting', word: connection.reconnecting ? 'Reconnecting…' : 'Connecting…' };
    case 'disconnecting':
      return { tone: 'connecting', word: 'Disconnecting…' };
    case 'ended':
      return endAcknowledged
        ? { tone: 'disconnected', word: 'Disconnected' }
        : { tone: 'ended', word: 'Session ended' };
    default:
      return { tone: 'disconnected', word: 'Disconnected' };
  }
}
