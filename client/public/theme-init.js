// Keep in sync with client/lib/theme.ts: the saved preference, resolved against the system setting.
(() => {
  let preference = "system";
  try {
    const saved = localStorage.getItem("nexus.theme");
    if (saved === "light" || saved === "dark") preference = saved;
  } catch {}
  const dark =
    preference === "dark" ||
    (preference === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
})();
