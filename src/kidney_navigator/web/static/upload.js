// Progressive enhancement for the upload form: drag-and-drop onto the picker and a progress bar.
// Without this script the form posts normally and the server answers with the same page.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  document.documentElement.classList.add("js");
  var input = document.getElementById("files");
  var zone = document.getElementById("dropzone");
  var names = document.getElementById("file-names");
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");

  function showNames() {
    var list = [];
    for (var i = 0; i < input.files.length; i++) { list.push(input.files[i].name); }
    names.textContent = list.length ? "Chosen: " + list.join(", ") : "";
  }
  input.addEventListener("change", showNames);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; showNames(); }
  });

  form.addEventListener("submit", function (e) {
    if (!input.files.length) { return; }
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    form.classList.add("uploading");
    bar.value = 0;
    status.textContent = "Uploading…";
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) { bar.value = Math.round(100 * ev.loaded / ev.total); }
    });
    xhr.upload.addEventListener("load", function () { bar.value = 100; status.textContent = "Reading your records…"; });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 200 && xhr.status < 300) {
        window.location.assign(xhr.responseURL || form.action);
        return;
      }
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var main = doc.querySelector("main");
      if (main) { document.querySelector("main").innerHTML = main.innerHTML; }
      var err = document.getElementById("page-error");
      if (err) { err.setAttribute("tabindex", "-1"); err.focus(); }
    });
    xhr.addEventListener("error", function () {
      form.classList.remove("uploading");
      status.textContent = "The upload failed. Check the files and try again.";
    });
    xhr.open("POST", form.action);
    xhr.send(new FormData(form));
  });
}());
