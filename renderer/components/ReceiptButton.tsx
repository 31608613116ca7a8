import { useState } from 'react';
import { downloadFile } from '../download.ts';
import { atlantic } from '../store/bridge-ref.ts';
import { messageOf } from '../store/loadable.ts';

/** A paid payment's receipt from the service, saved as an HTML page to open and print (or save as PDF). */
export function ReceiptButton({ paymentId }: { paymentId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    setProblem(null);
    try {
      const { filename, html } = await atlantic().credits.receipt({ payment_id: paymentId });
      downloadFile(filename, html, 'text/html');
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  return (
    <>
      <button type="button" onClick={() => void save()} data-testid="download-receipt">
        Download receipt
      </button>
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
