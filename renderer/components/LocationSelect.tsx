import { useId, useState } from 'react';
import * as format from '../format.ts';
import { goTo } from '../hooks/use-hash-route.ts';

export interface Option {
  value: string;
  label: string;
}

/** Why a selector is closed: the tier's hourly price and what it takes to unlock it. */
export interface Lock {
  perHourMicro: number;
  minBalanceMicro: number;
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
  // The chosen option stays listed whatever the filter, so the select never shows a value it lacks.
  const shown = props.options.filter(
    (o) => !needle || o.value === props.value || o.label.toLowerCase().includes(needle),
  );
  const locked = props.lock !== null;
  const empty = props.options.length === 0;
  return (
    <div className="selector" data-testid={`selector-${props.field}`} data-locked={locked}>
      <label htmlFor={`${id}-select`}>
        {props.label}
        {locked && <span className="lock-badge">Locked</span>}
      </label>
      <input
        type="search"
        placeholder="Search"
        aria-label={`Search ${props.label.toLowerCase()}`}
        value={query}
        disabled={locked || empty}
        onChange={(event) => setQuery(event.target.value)}
      />
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
          Locked: {format.perHour(props.lock.perHourMicro)} needs a balance of{' '}
          {format.credits(props.lock.minBalanceMicro)}; yours is {format.credits(props.lock.balanceMicro)}.{' '}
          <button type="button" className="link-button" onClick={() => goTo('buy')}>
            Add credits
          </button>
        </p>
      )}
    </div>
  );
}
