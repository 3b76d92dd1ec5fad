// A real SMTP server for tests (npm smtp-server, nodemailer's): STARTTLS with the certificate
// given, AUTH PLAIN/LOGIN required for one account, every accepted message written to MAILDIR
// as <ms>-<n>.eml (written to a temp name, then renamed, so a reader never sees half a file),
// with Return-Path and one Delivered-To line per recipient prepended as a delivering MTA does.
// Usage: node smtp-server.mjs PORT MAILDIR KEY CERT USER PASSWORD READY_FILE
import fs from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const [port, maildir, keyFile, certFile, user, password, readyFile] = process.argv.slice(2);
let seq = 0;

const server = new SMTPServer({
  name: 'cloudphone-test-smtp',
  key: fs.readFileSync(keyFile),
  cert: fs.readFileSync(certFile),
  authMethods: ['PLAIN', 'LOGIN'],
  size: 1024 * 1024,
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === user && auth.password === password) return callback(null, { user });
    return callback(new Error('Invalid username or password'));
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    stream.on('end', () => {
      if (stream.sizeExceeded) return callback(new Error('Message too big'));
      const envelope = [`Return-Path: <${session.envelope.mailFrom.address}>`]
        .concat(session.envelope.rcptTo.map((r) => `Delivered-To: ${r.address}`))
        .join('\r\n');
      const name = `${Date.now()}-${String(++seq).padStart(4, '0')}.eml`;
      const tmp = path.join(maildir, `.${name}.tmp`);
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(envelope + '\r\n'), ...chunks]));
      fs.renameSync(tmp, path.join(maildir, name));
      callback(null, `queued as ${name}`);
    });
  },
});
server.on('error', (e) => console.error('smtp-server:', e.message));
server.listen(Number(port), '127.0.0.1', () => fs.writeFileSync(readyFile, `${port}\n`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
