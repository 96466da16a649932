/** S3's rules for bucket names (general purpose buckets). Pure. */

/** Why `name` is not a valid bucket name, or null when it is. */
export function bucketNameProblem(name: string): string | null {
  if (name.length < 3 || name.length > 63) return "a bucket name has 3 to 63 characters";
  if (!/^[a-z0-9.-]+$/.test(name)) return "a bucket name holds only lower-case letters, digits, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "a bucket name begins and ends with a letter or a digit";
  if (/\.\.|\.-|-\./.test(name)) return "a bucket name has no two dots, or dot and hyphen, side by side";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "a bucket name is not an IP address";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name) || /(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(name))
    return "a bucket name does not use a prefix or suffix S3 reserves";
  return null;
}
