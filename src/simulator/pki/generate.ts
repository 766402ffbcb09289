// Generates every key, certificate, keystore and the SoftHSM eID of the test PKI into `dir`.
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
import { generateTokenKey, importTokenCertificate, prepareSoftHsm, type TokenSpec } from "./softhsm-token.js";
import {
  SOFTHSM_MODULE,
  type PemPair,
  type PersonalKeystore,
  type TestPki,
  type TestPkiOptions,
} from "./test-pki.js";

const EID_KEY_LABEL = "Authentication";
const EID_KEY_ID = "02"; // the Belgian eID middleware numbers its authentication key 2

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

export async function generateTestPki(dir: string, options: TestPkiOptions): Promise<TestPki> {
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

  const eid = await generateEid(dir, options, ca, validity);
  return {
    version: 1,
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
    eid,
    holder: { ssin: holder.ssin, nihii: holder.nihii, name: fullName },
    pharmacy: { nihii: options.pharmacy.nihii, name: options.pharmacy.name },
  };
}

async function generateEid(
  dir: string,
  options: TestPkiOptions,
  ca: Issued,
  validity: { notBefore: Date; notAfter: Date },
): Promise<TestPki["eid"]> {
  const conf = await prepareSoftHsm(dir);
  const spec: TokenSpec = {
    module: SOFTHSM_MODULE,
    conf,
    label: options.token.label,
    pin: options.token.pin,
    soPin: options.token.soPin,
    keyLabel: EID_KEY_LABEL,
    keyId: EID_KEY_ID,
  };
  const spki = await generateTokenKey(spec);
  const publicKey = forge.pki.publicKeyFromAsn1(
    forge.asn1.fromDer(spki.toString("binary")),
  ) as forge.pki.rsa.PublicKey;
  const { givenName, surname, ssin } = options.holder;
  const certificate = issueCertificate({
    subject: name([
      ["country", "BE"],
      ["commonName", `${givenName} ${surname} (Authentication)`],
      ["surname", surname],
      ["givenName", givenName],
      ["serialNumber", ssin],
    ]),
    publicKey,
    profile: "client-authentication",
    issuer: { certificate: ca.certificate, keys: ca.keys },
    ...validity,
  });
  await importTokenCertificate(spec, {
    der: certificateToDer(certificate),
    ...certificateIdentifiers(certificate),
  });
  const certPem = certificateToPem(certificate);
  await writeFile(join(dir, "eid-authentication.crt.pem"), certPem);
  return {
    module: SOFTHSM_MODULE,
    conf,
    tokenLabel: options.token.label,
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
