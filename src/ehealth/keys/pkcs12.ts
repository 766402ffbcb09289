// eHealth keystores (PKCS#12): the pharmacy's organisation certificate (holder-of-key) and the
// pharmacist's personal certificate (mycarenet-protocol §3.1). node has no PKCS#12 reader, so
// forge decrypts it: that is pure JavaScript, synchronous and slow (about a tenth of a second
// per keystore), so a keystore is loaded ONCE, at start, and the resulting signer kept; never on
// a request path. The password is used for the decryption and not kept.
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import forge from "node-forge";
import { CodedError } from "../../errors.js";
import { MemorySigner } from "./memory.js";

/** eHealth keystores hold the authentication key under this alias, beside encryption keys. */
export const AUTHENTICATION_ALIAS = "authentication";

export interface Pkcs12LoadOptions {
  /** Friendly name of the key entry; defaults to "authentication", or the only key there is. */
  readonly alias?: string;
}

export function loadPkcs12(
  source: string | Buffer,
  password: string,
  options: Pkcs12LoadOptions = {},
): MemorySigner {
  const der = typeof source === "string" ? readKeystore(source) : source;
  const pfx = decryptKeystore(der, password);
  const bags = pfx.safeContents.flatMap((contents) => contents.safeBags);
  const keyBag = chooseKey(
    bags.filter(
      (b) => b.type === forge.pki.oids["pkcs8ShroudedKeyBag"] || b.type === forge.pki.oids["keyBag"],
    ),
    options.alias,
  );
  const key = createPrivateKey({ key: privateKeyInfoDer(keyBag), format: "der", type: "pkcs8" });
  const certificateDer = matchingCertificate(
    bags.filter((b) => b.type === forge.pki.oids["certBag"]),
    keyBag,
    key,
  );
  return new MemorySigner(key, certificateDer, "pkcs12");
}

// The path is not repeated in the error: eHealth names keystore files after the SSIN.
function readKeystore(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "file-not-found"
        : code === "EACCES"
          ? "permission-denied"
          : code === "EISDIR"
            ? "is-a-directory"
            : "read-failed";
    throw new CodedError("KEYSTORE_UNREADABLE", { reason, errno: code }, { cause: error });
  }
}

function decryptKeystore(der: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")), true);
  } catch {
    throw new CodedError("KEYSTORE_UNREADABLE", { reason: "not-pkcs12" });
  }
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (error) {
    // forge reports a failed MAC check ("…Invalid password?") or a key bag that does not decrypt
    // ("…wrong password?") only through its message; it has no error codes.
    const message = error instanceof Error ? error.message : "";
    if (/password/i.test(message)) throw new CodedError("KEYSTORE_PASSWORD");
    throw new CodedError("KEYSTORE_UNREADABLE", { reason: "unsupported-or-corrupt" });
  }
}

function friendlyName(bag: forge.pkcs12.Bag): string | undefined {
  const names = (bag.attributes as { friendlyName?: unknown[] }).friendlyName;
  return typeof names?.[0] === "string" ? names[0] : undefined;
}

function localKeyId(bag: forge.pkcs12.Bag): string | undefined {
  const ids = (bag.attributes as { localKeyId?: unknown[] }).localKeyId;
  return typeof ids?.[0] === "string" ? ids[0] : undefined;
}

function chooseKey(keys: forge.pkcs12.Bag[], alias: string | undefined): forge.pkcs12.Bag {
  const wanted = alias ?? AUTHENTICATION_ALIAS;
  const named = keys.find((bag) => friendlyName(bag)?.toLowerCase() === wanted.toLowerCase());
  if (named !== undefined) return named;
  const [only] = keys;
  if (alias === undefined && only !== undefined && keys.length === 1) return only;
  throw new CodedError("KEYSTORE_UNREADABLE", {
    reason: keys.length === 0 ? "no-private-key" : "alias-not-found",
    aliases: keys.map(friendlyName).filter((name) => name !== undefined),
  });
}

function privateKeyInfoDer(bag: forge.pkcs12.Bag): Buffer {
  // forge decodes RSA keys; other key types (EC) stay as their PrivateKeyInfo ASN.1.
  const asn1 = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}

function matchingCertificate(certs: forge.pkcs12.Bag[], keyBag: forge.pkcs12.Bag, key: KeyObject): Buffer {
  const publicKey = createPublicKey(key).export({ type: "spki", format: "der" });
  const candidates = certs.map((bag) => ({ bag, der: certificateDer(bag) }));
  const id = localKeyId(keyBag);
  const byId = id === undefined ? undefined : candidates.find((c) => localKeyId(c.bag) === id);
  // The localKeyId is only a hint: the certificate must carry the key's public half.
  const found = [byId, ...candidates].find(
    (c) =>
      c !== undefined &&
      new X509Certificate(c.der).publicKey.export({ type: "spki", format: "der" }).equals(publicKey),
  );
  if (found === undefined) throw new CodedError("KEYSTORE_UNREADABLE", { reason: "no-certificate-for-key" });
  return found.der;
}

function certificateDer(bag: forge.pkcs12.Bag): Buffer {
  const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}
