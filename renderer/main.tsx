import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { installHeadlessBridge } from './bridge/headless-bridge.ts';
import { ErrorState } from './components/StatusMessages.tsx';
import { bindBridge } from './store/bind-bridge.ts';
import './styles.css';

// Inside Electron the preload has exposed window.atlantic; in a plain browser the headless host's page builds it.
if (!window.atlantic) installHeadlessBridge();

const root = createRoot(document.getElementById('root')!);
if (window.atlantic) {
  bindBridge(window.atlantic);
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
} else {
  root.render(
    <ErrorState message="This page must be opened by Atlantic Proxy (the desktop app or its headless host)." />,
  );
}
