// The "Cite" block's copy button: shown only when the clipboard can be written (the entry stays selectable text
// without it), and it says what happened in a live region.
(function () {
    "use strict";
    if (!navigator.clipboard || !window.isSecureContext) return;
    document.querySelectorAll("[data-copy-target]").forEach(function (button) {
        var source = document.getElementById(button.getAttribute("data-copy-target"));
        var status = button.parentElement.querySelector(".cite-status");
        if (!source) return;
        button.hidden = false;
        button.addEventListener("click", function () {
            navigator.clipboard.writeText(source.textContent).then(function () {
                if (status) status.textContent = "Copied.";
            }, function () {
                if (status) status.textContent = "Could not copy; select the text instead.";
            });
        });
    });
})();
