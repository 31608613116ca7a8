import { useEffect, useState } from 'react';

/** The current time, re-read every second while `live`: drives countdowns and "3 min ago". */
export function useNow(live = true, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [live, everyMs]);
  return now;
}
