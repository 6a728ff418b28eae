// Parse each .eml named on the command line with mailparser (Nodemailer's parser) and print,
// as one JSON array, what a mail client shows: addresses, subject, date, ids and both bodies.
import { readFile } from "node:fs/promises";
import { simpleParser } from "mailparser";

const addresses = (field) => (field ? field.value.map((a) => ({ name: a.name, address: a.address })) : []);

const parsed = [];
for (const path of process.argv.slice(2)) {
  const mail = await simpleParser(await readFile(path));
  parsed.push({
    path,
    from: addresses(mail.from),
    to: addresses(mail.to),
    subject: mail.subject,
    date: mail.date ? mail.date.toISOString() : null,
    messageId: mail.messageId,
    unsent: mail.headers.get("x-unsent") ?? null,
    text: mail.text,
    html: mail.html,
  });
}
process.stdout.write(JSON.stringify(parsed));
