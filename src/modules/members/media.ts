// /media/*: the public media files (profile images) straight from MEDIA_DIR. Names are random and
// never reused, so responses are cached for a year; dotfiles (temp files of writes in progress)
// and directories are never served, and the browser is told not to guess types.
import express, { type RequestHandler } from 'express';

export function mediaStatic(mediaDir: string): RequestHandler {
  return express.static(mediaDir, {
    dotfiles: 'deny',
    index: false,
    redirect: false,
    fallthrough: true, // missing → the API's 404 {"detail": …}
    immutable: true,
    maxAge: '365d',
    setHeaders(res) {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    },
  });
}
