// In-panel links never reload the page (issue 14 §8): a plain <a href="/admin/resources/…"> (the
// design system's Link, a dashboard link) would make the browser fetch the whole panel again. This
// replaces AdminJS's SidebarFooter (empty: "made with love" is off), which is always mounted, and
// sends a click on a link into the panel's own routes (the dashboard, /resources/…, /pages/…) to
// AdminJS's router instead. Other pages (/admin/queues, /admin/two-factor, logout) load as pages.
import React, { useEffect } from 'react';
import { Box } from '@adminjs/design-system';
import { useNavigate } from 'react-router-dom';

export function panelRoute(href: string, origin: string, root: string): string | null {
  let url: URL;
  try {
    url = new URL(href, origin);
  } catch {
    return null;
  }
  if (url.origin !== origin) return null;
  const rest = url.pathname === root ? '' : url.pathname.startsWith(`${root}/`) ? url.pathname.slice(root.length) : null;
  if (rest === null) return null;
  if (rest === '' || rest === '/' || rest.startsWith('/resources/') || rest.startsWith('/pages/')) return `${url.pathname}${url.search}${url.hash}`;
  return null;
}

const SpaLinks: React.FC = () => {
  const navigate = useNavigate();
  useEffect(() => {
    const root = (window as unknown as { REDUX_STATE?: { paths?: { rootPath?: string } } }).REDUX_STATE?.paths?.rootPath ?? '/admin';
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!a || (a.target && a.target !== '_self') || a.hasAttribute('download')) return;
      const to = panelRoute(a.getAttribute('href')!, window.location.origin, root);
      if (!to) return;
      e.preventDefault();
      navigate(to);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [navigate]);
  return <Box mt="lg" mb="md" data-css="sidebar-footer" />;
};

export default SpaLinks;
