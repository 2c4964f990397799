// Kubernetes resource quantities ("500m", "2Gi", "1e3"), parsed to plain numbers so that
// limits, defaults and quota totals can be compared at synth time.

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const MULTIPLIERS: { [suffix: string]: number } = {
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};

/**
 * The numeric value of a Kubernetes quantity, or undefined when the text is not one.

 */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text.trim() === text ? text : '');
  if (!match) return undefined;
  const [, sign, digits, suffix = ''] = match;
  const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : MULTIPLIERS[suffix];
  const value = Number(digits) * multiplier;
  return sign === '-' ? -value : value;
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
