// Vectors of domain-rules §1.5, §2.4 and §3.1, re-checked by the simulator's own code.
import { describe, expect, it } from "vitest";
import {
  checkNiss,
  isNihii,
  isRegistrationNumber,
  syntheticNihii,
  syntheticNiss,
  unionOfMutuality,
} from "./identifiers.js";

describe("NISS check digits", () => {
  it.each([
    "85073003328",
    "17073003384",
    "42012205181",
    "00022899848",
    "20022900276",
    "98472899765",
    "01490700185",
    "87321500544",
    "00200100112",
  ])("%s is valid", (n) => expect(checkNiss(n)).toBe("ok"));
  it("refuses by format, checksum and month, in that order", () => {
    expect(checkNiss("8506130017")).toBe("format");
    expect(checkNiss("8506130017A")).toBe("format");
    expect(checkNiss("85061300179")).toBe("checksum");
    expect(checkNiss("20020142173")).toBe("checksum");
    expect(checkNiss("85133000105")).toBe("month");
    expect(checkNiss("85533000191")).toBe("month");
  });
  it("builds valid numbers, BIS and after 2000 included", () => {
    expect(syntheticNiss("1942-01-22", 51)).toBe("42012205181");
    expect(syntheticNiss("2017-07-30", 33)).toBe("17073003384");
    expect(syntheticNiss("1998-07-28", 997, "sex-known")).toBe("98472899765");
    expect(checkNiss(syntheticNiss("1979-00-00", 404, "sex-unknown"))).toBe("ok");
  });
});

describe("NIHII", () => {
  it.each(["62599147", "10829059", "10000007", "10000036", "20000014001", "20000072001"])(
    "%s is valid",
    (n) => expect(isNihii(n)).toBe(true),
  );
  it("builds the APB sample pharmacy number and a titular pharmacist's", () => {
    expect(syntheticNihii(625991)).toBe("62599147");
    expect(syntheticNihii(200000, "001")).toBe("20000014001");
  });
  it.each(["12345678", "12345679", "20000093", "20000003", "1234567", "2000001400"])("%s is not", (n) =>
    expect(isNihii(n)).toBe(false),
  );
});

describe("mutualities and registration numbers", () => {
  it("routes by the first digit, 750 and 999 through CAAMI", () => {
    expect(unionOfMutuality("120")).toBe(100);
    expect(unionOfMutuality("319")).toBe(300);
    expect(unionOfMutuality("675")).toBe(600);
    expect(unionOfMutuality("750")).toBe(600);
    expect(unionOfMutuality("999")).toBe(600);
    expect(unionOfMutuality("901")).toBe(900);
    expect(unionOfMutuality("700")).toBeUndefined();
    expect(unionOfMutuality("099")).toBeUndefined();
    expect(unionOfMutuality("12")).toBeUndefined();
  });
  it("keeps registration numbers opaque, 1–13 printable characters", () => {
    expect(isRegistrationNumber("000113 044M86")).toBe(true);
    expect(isRegistrationNumber("00011304400000")).toBe(false);
    expect(isRegistrationNumber("   ")).toBe(false);
    expect(isRegistrationNumber("12\n3")).toBe(false);
  });
});
