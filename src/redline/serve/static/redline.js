// Redline dashboard: small helpers for the pages; the pages work without it.
"use strict";
// Dates shown as <time datetime="..."> keep their ISO text as a tooltip.
document.addEventListener("DOMContentLoaded", () => {
  for (const t of document.querySelectorAll("time[datetime]")) {
    if (!t.title) t.title = t.dateTime;
  }
});
