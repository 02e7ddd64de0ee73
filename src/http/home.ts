// GET /: a small page for a person who opens the server's address: what this is, and links to the
// admin panel, the API docs and the health checks. (Apps call the API's own paths.)
import type { RequestHandler } from 'express';

const page = (adminPath: string | null) => `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Marquee</title>
<style>
body{font-family:system-ui,-apple-system,"Noto Sans KR",sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{margin-bottom:.2rem}p.sub{margin-top:0;color:#52606d}
ul{padding-left:1.2rem}li{margin:.4rem 0}a{color:#3450a1}code{background:#f0f4f8;padding:.1rem .3rem;border-radius:3px}
</style>
</head>
<body>
<h1>Marquee</h1>
<p class="sub">OTT · 영화 서비스 백오피스 — the back office of an OTT / movie service</p>
<ul>
${adminPath ? `<li><a href="${adminPath}">관리자 패널 (Admin panel)</a> — 카탈로그, 회원, 결제·환불, 대시보드</li>\n` : ''}<li><a href="/swagger/">API 문서 (API docs)</a> · <a href="/openapi.json">openapi.json</a></li>
<li><a href="/device">TV 연결 (TV pairing)</a> — TV 화면의 코드를 입력하는 페이지</li>
<li><a href="/healthz">/healthz</a> (프로세스) · <a href="/readyz">/readyz</a> (데이터베이스, Redis)</li>
</ul>
<p>예: <code>GET <a href="/movie/genre/">/movie/genre/</a></code> · <code>GET <a href="/movie/85579/">/movie/85579/</a></code> · <code>GET <a href="/search/cinema/강남/">/search/cinema/강남/</a></code></p>
</body>
</html>
`;

export function homePage(opts: { adminPath: string | null }): RequestHandler {
  const html = page(opts.adminPath);
  return (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(html);
  };
}
