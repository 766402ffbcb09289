// Generates every key, certificate and keystore of the test PKI into `dir`; the SoftHSM eIDs (a
// recent EC P-384 card and an older RSA one) are a separate step (they need SoftHSM2, which a demo
// machine may not have).
// Subjects are shaped like the real ones: eHealth certificates (`OU=eHealth-platform Belgium`,
// `CN=NIHII-PHARMACY=…` or `CN=SSIN=…`) and the eID authentication certificate
// (`CN=<Given> <Surname> (Authentication)`, `serialNumber=<SSIN>`), mycarenet-protocol §3.1.
import { X509Certificate } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import forge from "node-forge";
import { pkcs12Keystore } from "./keystore.js";
import {
  certificateIdentifiers,
  certificateToDer,
  certificateToPem,
  issueCertificate,
  newRsaKeyPair,
  OID,
  type CertificateProfile,
  type KeyPair,
  type NameEntry,
} from "./issue.js";
import {
  generateTokenKeys,
  importTokenCertificate,
  prepareSoftHsm,
  type TokenKeySpec,
  type TokenSpec,
} from "./softhsm-token.js";
import type { PemPair, PersonalKeystore, TestEid, TestPki, TestPkiOptions } from "./test-pki.js";

const EID_KEY_LABEL = "Authentication";
const EID_KEY_ID = "02"; // the Belgian eID middleware numbers its authentication key 2
// The qualified-signature key every real eID also holds (never to be used by the daemon),
// generated first so that the token lists it before the authentication key.
const EID_SIGNATURE_KEY: Omit<TokenKeySpec, "type"> = { label: "Signature", id: "03" };
/** The older card's token beside the recent one, in the same SoftHSM directory. */
export const RSA_TOKEN_SUFFIX = "-rsa";

interface Issued {
  readonly certificate: forge.pki.Certificate;
  readonly keys: KeyPair;
}

const name = (entries: ReadonlyArray<readonly [keyof typeof OID, string]>): NameEntry[] =>
  entries.map(([type, value]) => ({ type: OID[type], value }));

const ehealthName = (unit: string, identifier: string): NameEntry[] =>
  name([
    ["country", "BE"],
    ["organisation", "Federal Government"],
    ["organisationalUnit", "eHealth-platform Belgium"],
    ["organisationalUnit", unit],
    ["organisationalUnit", identifier],
    ["commonName", identifier],
  ]);

/** Everything but the eIDs (see generateEid). */
export async function generateTestPki(
  dir: string,
  options: TestPkiOptions,
): Promise<Omit<TestPki, "eid" | "eidRsa">> {
  await mkdir(dir, { recursive: true });
  const validity = { notBefore: new Date(options.notBefore), notAfter: new Date(options.notAfter) };
  const [caKeys, foreignKeys, stsKeys, orgKeys, personalKeys, revokedKeys, foreignPersonalKeys] =
    (await Promise.all(Array.from({ length: 7 }, () => newRsaKeyPair()))) as [
      KeyPair,
      KeyPair,
      KeyPair,
      KeyPair,
      KeyPair,
      KeyPair,
      KeyPair,
    ];

  const selfSigned = (subject: NameEntry[], keys: KeyPair): Issued => ({
    keys,
    certificate: issueCertificate({
      subject,
      publicKey: keys.publicKey,
      profile: "ca",
      selfSigningKey: keys,
      ...validity,
    }),
  });
  const ca = selfSigned(
    name([
      ["country", "BE"],
      ["organisation", "mcn-rights"],
      ["commonName", "mcn-rights Test CA"],
    ]),
    caKeys,
  );
  const foreignCa = selfSigned(
    name([
      ["country", "BE"],
      ["organisation", "Elsewhere"],
      ["commonName", "Untrusted Test CA"],
    ]),
    foreignKeys,
  );
  const issue = (by: Issued, subject: NameEntry[], keys: KeyPair, profile: CertificateProfile): Issued => ({
    keys,
    certificate: issueCertificate({
      subject,
      publicKey: keys.publicKey,
      profile,
      issuer: { certificate: by.certificate, keys: by.keys },
      ...validity,
    }),
  });

  // eHealth signs its STS assertions with a certificate of its own organisation (CBE 0809.394.427).
  const sts = issue(ca, ehealthName("eHealth-platform Belgium STS", "CBE=0809394427"), stsKeys, "signing");
  const organisation = issue(
    ca,
    ehealthName(options.pharmacy.name, `NIHII-PHARMACY=${options.pharmacy.nihii}`),
    orgKeys,
    "client-authentication",
  );
  const { holder } = options;
  const fullName = `${holder.givenName} ${holder.surname}`;
  const personalName = ehealthName(fullName, `SSIN=${holder.ssin}`);
  const personal = issue(ca, personalName, personalKeys, "client-authentication");
  const revoked = issue(ca, personalName, revokedKeys, "client-authentication");
  const foreign = issue(foreignCa, personalName, foreignPersonalKeys, "client-authentication");

  const pem = async (base: string, issued: Issued): Promise<PemPair> => {
    const pair = {
      certPath: join(dir, `${base}.crt.pem`),
      keyPath: join(dir, `${base}.key.pem`),
      certPem: certificateToPem(issued.certificate),
      keyPem: issued.keys.privateKeyPem,
    };
    await writeFile(pair.certPath, pair.certPem);
    await writeFile(pair.keyPath, pair.keyPem, { mode: 0o600 });
    return pair;
  };
  const keystore = async (file: string, issued: Issued, chainTop: Issued, password: string) => {
    const p12Path = join(dir, file);
    const p12 = pkcs12Keystore({
      privateKey: issued.keys.privateKey,
      chain: [issued.certificate, chainTop.certificate],
      password,
    });
    await writeFile(p12Path, p12, { mode: 0o600 });
    return {
      p12Path,
      password,
      certPem: certificateToPem(issued.certificate),
      serialNumber: serialOf(issued),
    };
  };
  const personalKeystore = async (file: string, issued: Issued, by: Issued): Promise<PersonalKeystore> => ({
    ...(await keystore(file, issued, by, options.personalPassword)),
    ssin: holder.ssin,
  });

  return {
    version: 2,
    dir,
    options,
    createdAt: new Date().toISOString(),
    ca: await pem("ca", ca),
    sts: await pem("sts", sts),
    foreignCa: await pem("foreign-ca", foreignCa),
    organisation: {
      ...(await keystore("organisation.p12", organisation, ca, options.organisationPassword)),
      nihii: options.pharmacy.nihii,
      name: options.pharmacy.name,
    },
    personal: await personalKeystore("personal.p12", personal, ca),
    revokedPersonal: await personalKeystore("personal-revoked.p12", revoked, ca),
    foreignPersonal: await personalKeystore("personal-foreign.p12", foreign, foreignCa),
    revokedSerials: [serialOf(revoked)],
    holder: { ssin: holder.ssin, nihii: holder.nihii, name: fullName },
    pharmacy: { nihii: options.pharmacy.nihii, name: options.pharmacy.name },
  };
}

/** The two SoftHSM2 tokens standing in for the holder's eID: a recent card and an older one. */
export interface TestEids {
  /** EC P-384, like an eID issued since about 2021. */
  readonly eid: TestEid;
  /** RSA-2048, like an older card; token label `<label>-rsa`. */
  readonly eidRsa: TestEid;
}

/**
 * The SoftHSM2 tokens standing in for the holder's eIDs, their certificates issued by the PKI's CA
 * (read back from `ca`, so the eIDs can be added to a PKI made while SoftHSM was absent).
 */
export async function generateEid(
  dir: string,
  options: TestPkiOptions,
  ca: PemPair,
  module: string,
): Promise<TestEids> {
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey;
  const issuer: Issued = {
    certificate: forge.pki.certificateFromPem(ca.certPem),
    keys: {
      privateKey: caKey,
      publicKey: forge.pki.setRsaPublicKey(caKey.n, caKey.e),
      privateKeyPem: ca.keyPem,
    },
  };
  // Wipes the token directory: both tokens are made afresh, one at a time (free slot).
  const conf = await prepareSoftHsm(dir);
  const token = { dir, options, issuer, module, conf };
  const eid = await generateToken(token, "EC");
  const eidRsa = await generateToken(token, "RSA");
  return { eid, eidRsa };
}

interface TokenRequest {
  readonly dir: string;
  readonly options: TestPkiOptions;
  readonly issuer: Issued;
  readonly module: string;
  readonly conf: string;
}

async function generateToken(
  { dir, options, issuer, module, conf }: TokenRequest,
  type: "RSA" | "EC",
): Promise<TestEid> {
  const validity = { notBefore: new Date(options.notBefore), notAfter: new Date(options.notAfter) };
  const authentication: TokenKeySpec = { label: EID_KEY_LABEL, id: EID_KEY_ID, type };
  const signature: TokenKeySpec = { ...EID_SIGNATURE_KEY, type };
  const tokenLabel = type === "EC" ? options.token.label : `${options.token.label}${RSA_TOKEN_SUFFIX}`;
  const spec: TokenSpec = {
    module,
    conf,
    label: tokenLabel,
    pin: options.token.pin,
    soPin: options.token.soPin,
    keys: [signature, authentication],
  };
  const spkis = await generateTokenKeys(spec);
  const { givenName, surname, ssin } = options.holder;
  const certify = async (key: TokenKeySpec, spkiDer: Buffer): Promise<string> => {
    const certificate = issueCertificate({
      subject: name([
        ["country", "BE"],
        ["commonName", `${givenName} ${surname} (${key.label})`],
        ["surname", surname],
        ["givenName", givenName],
        ["serialNumber", ssin],
      ]),
      publicKey: { spkiDer },
      profile: key === signature ? "signing" : "client-authentication",
      issuer,
      ...validity,
    });
    await importTokenCertificate(spec, key, {
      der: certificateToDer(certificate),
      ...certificateIdentifiers(certificate),
    });
    return certificateToPem(certificate);
  };
  await certify(signature, spkis[0] as Buffer);
  const certPem = await certify(authentication, spkis[1] as Buffer);
  await writeFile(join(dir, `eid-authentication${type === "EC" ? "" : RSA_TOKEN_SUFFIX}.crt.pem`), certPem);
  return {
    module,
    conf,
    tokenLabel,
    keyAlgorithm: type,
    pin: options.token.pin,
    soPin: options.token.soPin,
    keyLabel: EID_KEY_LABEL,
    keyId: EID_KEY_ID,
    certPem,
    ssin,
    givenName,
    surname,
  };
}

function serialOf(issued: Issued): string {
  return new X509Certificate(certificateToDer(issued.certificate)).serialNumber;
}
