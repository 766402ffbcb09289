// PKCS#12 keystores shaped like eHealth's: the key under the friendly name "authentication"
// with its certificate chain. 3DES + SHA-1 MAC, as Java keytool writes them, so that forge,
// OpenSSL 3 (without the legacy provider) and the eHealth connectors all read them.
import forge from "node-forge";
import { AUTHENTICATION_ALIAS } from "../../ehealth/keys/pkcs12.js";

export function pkcs12Keystore(options: {
  privateKey: forge.pki.rsa.PrivateKey;
  chain: readonly forge.pki.Certificate[];
  password: string;
  friendlyName?: string;
}): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(options.privateKey, [...options.chain], options.password, {
    algorithm: "3des",
    friendlyName: options.friendlyName ?? AUTHENTICATION_ALIAS,
    generateLocalKeyId: true,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary");
}
