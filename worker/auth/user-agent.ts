/**
 * A short, readable name for the device behind a User-Agent header ("Chrome on Windows"), for the list of
 * sessions. Only the browser family and operating system matter here, not versions, so a handful of
 * patterns (most specific first) covers what people use; anything else is named by its first product token.
 */
const browsers: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|\bChrome\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\/|\bMobile\/\w+ Safari\//, "Safari"],
  [/\bcurl\//, "curl"],
  [/\bpython-requests\/|\bPython-urllib\/|\baiohttp\//, "Python"],
  [/\bokhttp\//, "Android app"],
  [/\bCFNetwork\//, "Apple app"],
  [/\bnode\b|\bundici\b|\bnode-fetch\b/i, "Node.js"],
  [/\bPostmanRuntime\//, "Postman"],
  [/\bPowerShell\//, "PowerShell"],
];

const systems: [RegExp, string][] = [
  [/\bWindows Phone\b/, "Windows Phone"],
  [/\bWindows\b/, "Windows"],
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b|\bDarwin\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

export function deviceLabel(userAgent: string | null | undefined): string {
  const ua = userAgent?.trim().slice(0, 400);
  if (!ua) return "Unknown device";
  const browser = browsers.find(([pattern]) => pattern.test(ua))?.[1];
  const system = systems.find(([pattern]) => pattern.test(ua))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  const product = /^([A-Za-z][\w.-]{0,40})/.exec(ua)?.[1];
  const name = product && product !== "Mozilla" ? product : "Unknown browser";
  return system ? `${name} on ${system}` : name;
}
