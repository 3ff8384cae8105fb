// Electron glue: the tray menu model as an Electron Menu.
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayItem } from './menu-model.ts';

function template(item: TrayItem, dispatch: (action: TrayAction) => void): MenuItemConstructorOptions {
  switch (item.type) {
    case 'label':
      return { label: item.label, enabled: false };
    case 'separator':
      return { type: 'separator' };
    case 'action':
      return { label: item.label, enabled: item.enabled, toolTip: item.detail, click: () => dispatch(item.action) };
    case 'checkbox':
      return {
        type: 'checkbox',
        label: item.label,
        checked: item.checked,
        enabled: item.enabled,
        // macOS shows the last error under the name; elsewhere it is in the window.
        ...(item.detail ? { sublabel: item.detail, toolTip: item.detail } : {}),
        click: () => dispatch(item.action),
      };
    case 'submenu':
      return { label: item.label, enabled: item.enabled, submenu: item.items.map((child) => template(child, dispatch)) };
  }
}

export function electronMenu(items: TrayItem[], dispatch: (action: TrayAction) => void): Menu {
  return Menu.buildFromTemplate(items.map((item) => template(item, dispatch)));
}
