import { useState } from 'react';
import { selectInfo } from '../store/selectors.ts';
import { useAppStore } from '../store/app-store.ts';

function AddressField({ kind, label, url }: { kind: string; label: string; url: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="address">
      <label htmlFor={`proxy-${kind}`}>{label}</label>
      <input
        id={`proxy-${kind}`}
        readOnly
        value={url}
        data-testid={`proxy-${kind}`}
        onFocus={(e) => e.target.select()}
      />
      <button type="button" onClick={() => void copy()} aria-label={`Copy ${label} address`}>
        Copy
      </button>
      <span className="muted" role="status">
        {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </div>
  );
}

/** Where apps point: the loopback proxy the core runs, in both protocols. */
export function ProxyAddress() {
  const proxy = useAppStore(selectInfo)?.local_proxy;
  if (!proxy) return null;
  return (
    <section className="card" aria-labelledby="proxy-heading">
      <h2 id="proxy-heading" className="card-label">
        Local proxy
      </h2>
      {proxy.problem && (
        <p role="alert" data-testid="proxy-problem">
          {proxy.problem.message} Until you choose another port in Settings, use the address below.
        </p>
      )}
      <AddressField kind="http" label="HTTP proxy" url={proxy.http_url} />
      <AddressField kind="socks" label="SOCKS5 proxy" url={proxy.socks_url} />
    </section>
  );
}
