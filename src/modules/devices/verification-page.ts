// GET /device: the page `verification_uri` names (RFC 8628 §3.3) — where a member with a code on
// the TV screen types it: log in, type or confirm the code (from ?user_code=), approve or deny, see
// the result. Korean; a static page and its script (no inline script: the API's CSP allows only
// 'self'), talking to POST /user/login/ and POST /devices/confirm/ like any client. A member app
// with its own page sets DEVICE_VERIFICATION_URI instead.
import type { Router } from 'express';

const HTML = `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TV 연결 · Marquee</title>
<style>
body{font-family:system-ui,-apple-system,"Noto Sans KR",sans-serif;max-width:26rem;margin:2.5rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
h1{font-size:1.4rem}label{display:block;margin:.8rem 0 .2rem}input{width:100%;box-sizing:border-box;padding:.55rem;font-size:1rem;border:1px solid #9aa5b1;border-radius:4px}
#code{font-size:1.6rem;letter-spacing:.2rem;text-transform:uppercase;text-align:center}
button{margin-top:1rem;padding:.6rem 1.1rem;font-size:1rem;border:0;border-radius:4px;cursor:pointer;background:#3450a1;color:#fff}
button.secondary{background:#e4e7eb;color:#1f2933;margin-left:.4rem}
.hidden{display:none}.note{color:#52606d;font-size:.9rem}
#result{margin-top:1.2rem;padding:.8rem;border-radius:4px}#result.ok{background:#e3f9e5}#result.err{background:#ffe3e3}#result.info{background:#e6f6ff}
</style>
</head>
<body>
<h1>TV 연결</h1>
<p class="note">TV 화면에 보이는 8자리 코드를 입력하고 연결을 승인하세요.</p>
<form id="login" class="hidden" autocomplete="on">
<label for="username">아이디</label><input id="username" name="username" autocomplete="username" required>
<label for="password">비밀번호</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">로그인</button>
</form>
<form id="confirm" class="hidden">
<p class="note">로그인: <strong id="who"></strong> <a href="#" id="logout">로그아웃</a></p>
<label for="code">연결 코드</label><input id="code" name="user_code" placeholder="XXXX-XXXX" maxlength="20" autocomplete="off" required>
<button type="submit" id="approve">연결 승인</button><button type="button" class="secondary" id="deny">거부</button>
</form>
<div id="result" class="hidden" role="status"></div>
<script src="/device/page.js"></script>
</body>
</html>
`;

const SCRIPT = `(function () {
  'use strict';
  var KEY = 'marquee.device.token';
  var $ = function (id) { return document.getElementById(id); };
  var params = new URLSearchParams(location.search);
  if (params.get('user_code')) $('code').value = params.get('user_code');

  function token() { return sessionStorage.getItem(KEY); }
  function who(t) {
    try { return JSON.parse(atob(t.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).username || ''; } catch (e) { return ''; }
  }
  function show(kind, text) {
    var r = $('result');
    r.className = kind;
    r.textContent = text;
  }
  function render() {
    var t = token();
    $('login').classList.toggle('hidden', !!t);
    $('confirm').classList.toggle('hidden', !t);
    if (t) $('who').textContent = who(t);
  }
  /** The first message of an error answer: {message}, {detail}, or {field: [message]}. */
  function messageOf(body, fallback) {
    if (!body || typeof body !== 'object') return fallback;
    if (typeof body.message === 'string') return body.message;
    if (typeof body.detail === 'string') return body.detail;
    for (var k in body) if (Array.isArray(body[k]) && body[k].length) return body[k][0];
    return fallback;
  }
  function post(path, data, auth) {
    var headers = { 'Content-Type': 'application/json' };
    if (auth) headers.Authorization = 'JWT ' + auth;
    return fetch(path, { method: 'POST', headers: headers, body: JSON.stringify(data) }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) { return { status: res.status, body: body }; });
    });
  }

  $('login').addEventListener('submit', function (e) {
    e.preventDefault();
    post('/user/login/', { username: $('username').value, password: $('password').value }).then(function (r) {
      if (r.status === 200 && r.body && r.body.token) {
        sessionStorage.setItem(KEY, r.body.token);
        $('password').value = '';
        show('info', '로그인했습니다. 코드를 확인하고 연결을 승인하세요.');
        render();
      } else show('err', messageOf(r.body, '로그인하지 못했습니다.'));
    }, function () { show('err', '서버에 연결할 수 없습니다.'); });
  });

  function decide(approve) {
    post('/devices/confirm/', { user_code: $('code').value, approve: approve }, token()).then(function (r) {
      if (r.status === 200 && r.body) {
        if (r.body.status === 'approved') show('ok', '연결되었습니다' + (r.body.device ? ': ' + r.body.device.name : '') + '. TV 화면이 곧 바뀝니다.');
        else show('info', '연결을 거부했습니다. TV에는 연결되지 않습니다.');
      } else if (r.status === 401) {
        sessionStorage.removeItem(KEY);
        render();
        show('err', '로그인이 만료되었습니다. 다시 로그인하세요.');
      } else if (r.status === 403 && r.body && r.body.device_limit !== undefined) {
        show('err', messageOf(r.body, '') + ' (연결된 기기 ' + r.body.active_devices + '/' + r.body.device_limit + '대 — 앱에서 기기를 해제하세요)');
      } else show('err', messageOf(r.body, '연결하지 못했습니다.'));
    }, function () { show('err', '서버에 연결할 수 없습니다.'); });
  }
  $('confirm').addEventListener('submit', function (e) { e.preventDefault(); decide(true); });
  $('deny').addEventListener('click', function () { decide(false); });
  $('logout').addEventListener('click', function (e) {
    e.preventDefault();
    sessionStorage.removeItem(KEY);
    $('result').className = 'hidden';
    render();
  });
  render();
})();
`;

/** Mounts GET /device (the page) and GET /device/page.js (its script). */
export function verificationPage(router: Router): void {
  router.get(['/device', '/device/'], (_req, res) => {
    res.type('html').set('Cache-Control', 'no-cache').send(HTML);
  });
  router.get('/device/page.js', (_req, res) => {
    res.type('application/javascript').set('Cache-Control', 'no-cache').send(SCRIPT);
  });
}
