// Drop a workbook on the check form: the file goes into the form's file
// field and the form is sent, as if it had been picked and "Kiểm tra" pressed.
// Without JavaScript the form works the same by picking the file.
document.querySelectorAll("form[data-drop]").forEach(function (form) {
  var input = form.querySelector("input[type=file]");
  ["dragenter", "dragover"].forEach(function (type) {
    form.addEventListener(type, function (event) {
      event.preventDefault();
      form.classList.add("over");
    });
  });
  form.addEventListener("dragleave", function () {
    form.classList.remove("over");
  });
  form.addEventListener("drop", function (event) {
    event.preventDefault();
    form.classList.remove("over");
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || files.length !== 1) {
      return;
    }
    input.files = files;
    form.submit();
  });
});
