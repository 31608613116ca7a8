import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { formatCredits, credits } from '../../shared/money.ts';
import { isAppError } from '../../shared/errors.ts';
import { findUserId, listUsers, setRole } from '../accounts/admin-users.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/open.ts';
import { adjustBalance } from '../ledger/admin-adjustment.ts';
import { refundByOperator } from '../payments/payment-service.ts';
import { buildProviders } from '../payments/payments-config.ts';
import { systemClock } from '../../shared/clock.ts';

const USAGE = `npm run admin -- <command>
  list [--email TEXT] [--limit N]           users and balances
  grant EMAIL CREDITS --reason TEXT         add credits (a ledger adjustment)
  adjust EMAIL ±CREDITS --reason TEXT       add or take credits
  refund PAYMENT_ID --reason TEXT           refund at the provider and claw back the credits
  promote EMAIL | demote EMAIL              make an account admin, or a user again`;

// A negative amount ("-2.5") reads as an option to parseArgs: pass such words after "--".
const words = process.argv.slice(2);
const split = words.includes('--') ? words.indexOf('--') : words.length;
const [options, rest] = [words.slice(0, split), words.slice(split + 1)];
const negatives = options.filter((w) => /^-\d/.test(w));
const { positionals, values } = parseArgs({
  args: [...options.filter((w) => !negatives.includes(w)), '--', ...negatives, ...rest],
  allowPositionals: true,
  options: { reason: { type: 'string' }, email: { type: 'string' }, limit: { type: 'string' } },
});
const [command, email, amountText] = positionals;
const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const operator = { adminId: null, name: `cli:${userInfo().username}` };

try {
  switch (command) {
    case 'list':
      for (const u of await listUsers(db, { limit: Number(values.limit ?? 100), email: values.email })) {
        console.log(`${u.id}  ${u.role.padEnd(5)}  ${formatCredits(u.balance).padStart(12)}  ${u.email}`);
      }
      break;
    case 'grant':
    case 'adjust': {
      if (!email || !amountText || !values.reason) throw new Error(USAGE);
      const amount = credits(amountText);
      if (command === 'grant' && amount <= 0n) throw new Error('grant takes a positive amount; use adjust to take');
      const entry = await adjustBalance(db, {
        userId: await findUserId(db, { email }),
        amount,
        reason: values.reason,
        by: operator,
      });
      console.log(
        `${formatCredits(entry.amount)} credits → balance ${formatCredits(entry.balanceAfter)} (entry ${entry.id})`,
      );
      break;
    }
    case 'refund': {
      if (!email || !values.reason) throw new Error(USAGE);
      const payments = {
        db,
        clock: systemClock,
        providers: buildProviders(config.payments, config.publicUrl),
        packages: config.packages,
        publicUrl: config.publicUrl,
        expiryMs: config.payments.expiryMs,
        maxOpenCheckouts: config.maxOpenCheckouts,
      };
      const result = await refundByOperator(payments, email, `${values.reason} (by ${operator.name})`);
      console.log(
        `refunded: clawed back ${formatCredits(result.clawedBack)}, shortfall ${formatCredits(result.shortfall)}`,
      );
      break;
    }
    case 'promote':
    case 'demote':
      if (!email) throw new Error(USAGE);
      await setRole(db, await findUserId(db, { email }), command === 'promote' ? 'admin' : 'user');
      console.log(`${email} is now ${command === 'promote' ? 'an admin' : 'a user'}`);
      break;
    default:
      console.log(USAGE);
      process.exitCode = command ? 2 : 0;
  }
} catch (error) {
  console.error(isAppError(error) ? `${error.code}: ${error.message}` : (error as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
