import { useId, useState, type KeyboardEvent } from 'react';
import * as format from '../format.ts';
import { goTo } from '../hooks/use-hash-route.ts';

export interface Option {
  value: string;
  label: string;
}

/** Why a selector is closed: the tier's hourly price against the balance. */
export interface Lock {
  perHourMicro: number;
  balanceMicro: number;
}

/** A searchable native select: the filter narrows the options, the select stays keyboard- and screen-reader-friendly. */
export function LocationSelect(props: {
  field: string;
  label: string;
  options: Option[];
  value: string;
  /** The label of the "no narrowing" option; absent when a value is required. */
  anyLabel?: string;
  lock: Lock | null;
  onChange: (value: string) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const matches = needle ? props.options.filter((o) => o.label.toLowerCase().includes(needle)) : props.options;
  // The chosen option stays listed whatever the filter, so the select never shows a value it lacks.
  const shown = props.options.filter((o) => o.value === props.value || matches.includes(o));
  const locked = props.lock !== null;
  const empty = props.options.length === 0;

  // Enter picks the best match: the one starting with what was typed, else the first containing it.
  const pickMatch = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'Enter' || !needle) return;
    event.preventDefault();
    const best = matches.find((o) => o.label.toLowerCase().startsWith(needle)) ?? matches[0];
    if (best) {
      props.onChange(best.value);
      setQuery('');
    }
  };

  return (
    <div className="selector" data-testid={`selector-${props.field}`} data-locked={locked}>
      <label htmlFor={`${id}-select`}>
        {props.label}
        {locked && <span className="lock-badge">Locked</span>}
      </label>
      <input
        type="search"
        placeholder="Search, then Enter"
        aria-label={`Search ${props.label.toLowerCase()}`}
        value={query}
        disabled={locked || empty}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={pickMatch}
      />
      {needle && matches.length === 0 && (
        <p className="muted" role="status" data-testid={`no-match-${props.field}`}>
          No {props.label.toLowerCase()} matches “{query.trim()}”.
        </p>
      )}
      <select
        id={`${id}-select`}
        value={props.value}
        disabled={locked || empty}
        onChange={(event) => props.onChange(event.target.value)}
        data-testid={`select-${props.field}`}
      >
        {props.anyLabel !== undefined && <option value="">{empty ? 'None offered here' : props.anyLabel}</option>}
        {shown.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.lock && (
        <p className="lock" data-testid={`lock-${props.field}`}>
          🔒 {props.label} selection requires {format.perHour(props.lock.perHourMicro)} (
          {format.money(props.lock.balanceMicro)} available){' '}
          <button type="button" className="link-button" onClick={() => goTo('buy')}>
            Add Credits
          </button>
        </p>
      )}
    </div>
  );
}
