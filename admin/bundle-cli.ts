// `npm run admin:bundle`: builds the AdminJS component bundle (.adminjs/bundle.js) ahead of start.
import { setAdminBundleEnv } from '../src/config.js';

setAdminBundleEnv({ skipBundle: false, production: true });
const { default: AdminJS } = await import('adminjs');
const { componentLoader, componentDir } = await import('./components.js');
const { componentsHash, ensureBundle } = await import('./bundle.js');
// Only the components matter for the bundle; resources are not needed to build it.
const admin = new AdminJS({ componentLoader, rootPath: '/admin' });
const t0 = Date.now();
const built = await ensureBundle(admin, componentsHash(componentDir));
console.log(built ? `AdminJS bundle built in ${Date.now() - t0} ms` : 'AdminJS bundle is up to date');
// The bundles compressed ahead of time (brotli at its best quality takes seconds): admin/assets.ts.
const { PanelAssets } = await import('./assets.js');
const t1 = Date.now();
const made = await PanelAssets.precompress();
console.log(made.length ? `compressed ${made.length} panel files in ${Date.now() - t1} ms` : 'compressed panel files are up to date');
