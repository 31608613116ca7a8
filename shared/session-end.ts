/**
 * Why a session ended, in the words the app shows (tray notice, window, local
 * proxy error page), defined once so every surface says the same thing.
 */
const WHY: Record<string, string> = {
  disconnected: 'It was disconnected.',
  insufficient_credits: 'Your credits ran out. Add credits and connect again.',
  client_lost: 'The app lost contact with the service for too long.',
  admin: 'An administrator ended it.',
  signed_out: 'You signed out.',
  unknown_session: 'The service no longer knows this session.',
};

export function describeEndReason(reason: string | null | undefined): string {
  return (reason && WHY[reason]) || 'It is no longer active.';
}
