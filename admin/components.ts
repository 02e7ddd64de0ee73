// Custom AdminJS components, registered once. Paths point at the .tsx sources; the bundle is
// built by `npm run admin:bundle` (or on the first start after a component changed).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ComponentLoader } from 'adminjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const componentDir = path.join(here, 'components');

export const componentLoader = new ComponentLoader();
export const Components = {
  Dashboard: componentLoader.add('MarqueeDashboard', path.join(componentDir, 'dashboard.tsx')),
  SetPassword: componentLoader.add('MarqueeSetPassword', path.join(componentDir, 'set-password.tsx')),
};
