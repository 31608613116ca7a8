import { describe, expect, test } from 'vitest';
import { resetStore, useAppStore } from '../../../../renderer/store/app-store.ts';
import { targetingOf } from '../../../../renderer/store/locations-slice.ts';

describe('location choice', () => {
  test('a wider pick clears the narrower ones that depended on it', () => {
    resetStore();
    const { choose } = useAppStore.getState();
    choose('country', 'us');
    choose('state', 'New York');
    choose('city', 'Buffalo');
    choose('isp', 'Comcast');
    choose('state', 'California');
    expect(useAppStore.getState().choice).toEqual({ country: 'us', state: 'California', city: '', isp: 'Comcast' });
    choose('country', 'de');
    expect(useAppStore.getState().choice).toEqual({ country: 'de', state: '', city: '', isp: '' });
  });

  test('targeting holds only what was picked', () => {
    expect(targetingOf({ country: '', state: '', city: '', isp: '' })).toBeNull();
    expect(targetingOf({ country: 'us', state: '', city: 'Buffalo', isp: '' })).toEqual({
      country: 'us',
      city: 'Buffalo',
    });
  });

  test('resetStore returns every slice to first paint', () => {
    useAppStore.getState().pushNotice({ kind: 'session_ended', title: 'Ended', body: 'x' });
    useAppStore.getState().choose('country', 'us');
    resetStore();
    expect(useAppStore.getState().notices).toEqual([]);
    expect(useAppStore.getState().choice.country).toBe('');
    expect(useAppStore.getState().boot.status).toBe('idle');
  });
});
