"""Live monitoring's network side: the feeds file (``config``), bounded and SSRF-guarded fetching
(``fetch``), feeds and URL lists to items (``parse``), pages to Documents (``extract``) and alert
delivery (``notify``). The monitor loop and its state live elsewhere and call these."""
