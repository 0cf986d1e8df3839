/** numeric(12,2) column values from pg are strings already; this pins two decimals for responses. */
export function formatMoney(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(2, '0').slice(0, 2)}`;
}

/** Exact comparison and arithmetic on money happen in integer cents (BigInt), never in floats. */
export function moneyToCents(value: string): bigint {
  const [whole, fraction = ''] = value.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
}
