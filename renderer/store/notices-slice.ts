import type { Notice } from '../../shared/ipc/views.ts';
import type { SliceOf } from './app-store.ts';

export interface ShownNotice extends Notice {
  id: number;
}

export interface NoticesSlice {
  notices: ShownNotice[];
  pushNotice(notice: Notice): void;
  dismissNotice(id: number): void;
}

let nextId = 1;

export const createNoticesSlice: SliceOf<NoticesSlice> = (set) => ({
  notices: [],
  pushNotice: (notice) =>
    set((s) => ({
      // A newer notice of a kind replaces the older one: two "5 minutes left" banners help nobody.
      notices: [...s.notices.filter((n) => n.kind !== notice.kind), { ...notice, id: nextId++ }],
    })),
  dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
