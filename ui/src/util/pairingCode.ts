/// A pairing code in two groups of three digits, as the host prints it.
export function groupedPairingCode(code: string): string {
  const digits = code.replace(/\D/g, '')
  return digits.length === 6 ? `${digits.slice(0, 3)} ${digits.slice(3)}` : code
}
