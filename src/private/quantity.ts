// Kubernetes resource quantities ("500m", "2Gi", "1e3"), parsed to plain numbers so that
// limits, defaults and quota totals can be compared at synth time.

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

// Each suffix as nano-units (10^-9) of the base unit, so every quantity is an exact integer of them.
const NANOS: { [suffix: string]: bigint } = {
  'n': 1n,
  'u': 10n ** 3n,
  'm': 10n ** 6n,
  '': 10n ** 9n,
  'k': 10n ** 12n,
  'M': 10n ** 15n,
  'G': 10n ** 18n,
  'T': 10n ** 21n,
  'P': 10n ** 24n,
  'E': 10n ** 27n,
  'Ki': 2n ** 10n * 10n ** 9n,
  'Mi': 2n ** 20n * 10n ** 9n,
  'Gi': 2n ** 30n * 10n ** 9n,
  'Ti': 2n ** 40n * 10n ** 9n,
  'Pi': 2n ** 50n * 10n ** 9n,
  'Ei': 2n ** 60n * 10n ** 9n,
};

/**
 * A Kubernetes quantity exactly, as an integer of nano-units (`500m` is 500000000n, `1Gi` is
 * 1073741824000000000n), or undefined when the text is not one. Like the API server, a value finer
 * than a nano-unit is rounded up (away from zero); sums and comparisons of these are exact.
 */
export function parseQuantityNanos(text: string): bigint | undefined {
  const match = QUANTITY.exec(text.trim() === text ? text : '');
  if (!match) return undefined;
  const [, sign, digits, suffix = ''] = match;
  const [whole, fraction = ''] = digits.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0');
  let denominator = 10n ** BigInt(fraction.length);
  if (/^[eE]/.test(suffix)) {
    const exponent = Number(suffix.slice(1)) + 9;
    // A huge exponent is still a quantity; bound it so the arithmetic stays small (10^40 nano is beyond any resource).
    if (exponent >= 0) numerator *= 10n ** BigInt(Math.min(exponent, 60));
    else denominator *= 10n ** BigInt(Math.min(-exponent, 60));
  } else {
    numerator *= NANOS[suffix];
  }
  const value = (numerator + denominator - 1n) / denominator;
  return sign === '-' ? -value : value;
}

/**
 * The value of a Kubernetes quantity as a number of base units, or undefined when the text is not
 * one. For comparisons, sums and totals use `parseQuantityNanos`, which is exact.
 */
export function parseQuantity(text: string): number | undefined {
  const nanos = parseQuantityNanos(text);
  return nanos === undefined ? undefined : Number(nanos) / 1e9;
}

/**
 * Why `text` is not a usable non-negative quantity, or undefined when it is one.

 */
export function quantityProblem(text: string): string | undefined {
  const value = parseQuantity(text);
  if (value === undefined) {
    return `"${text}" is not a Kubernetes quantity (examples: "500m", "2", "512Mi", "10Gi")`;
  }
  if (value < 0) return `"${text}" is negative; use a quantity of at least 0`;
  return undefined;
}
