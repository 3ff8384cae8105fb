// Electron glue: an attention notice as an OS notification; clicking it opens the server.
import { Notification } from 'electron';
import type { AttentionNotice } from './attention-notices.ts';

// A notification nobody references can be garbage-collected before it is clicked.
const shown = new Set<Notification>();

export function showNotice(notice: AttentionNotice, open: (route: string) => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title: notice.title, body: notice.body });
  shown.add(notification);
  notification.on('click', () => {
    shown.delete(notification);
    open(notice.route);
  });
  notification.on('close', () => shown.delete(notification));
  notification.show();
}
