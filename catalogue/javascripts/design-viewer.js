// The 3D view of a design page: the picture shows first; model-viewer (about 1 MB)
// and the GLB load only when the reader asks, and only from this site.
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : document.baseURI;
  // <lang>/javascripts/ → the site's root, where both languages share one copy of the viewer and its decoder
  var moduleUrl = new URL("../../assets/model-viewer/model-viewer.min.js", here).href;
  // The GLB files are meshopt-compressed: model-viewer loads the vendored decoder, never one from a CDN.
  self.ModelViewerElement = self.ModelViewerElement || {};
  self.ModelViewerElement.meshoptDecoderLocation = new URL("../../assets/meshopt/meshopt_decoder.js", here).href;
  var loading = null;

  function loadModelViewer() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.type = "module";
        script.src = moduleUrl;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + moduleUrl)); };
        document.head.appendChild(script);
      }).then(function () { return customElements.whenDefined("model-viewer"); });
    }
    return loading;
  }

  function open(figure, button) {
    var picture = figure.querySelector("img");
    button.disabled = true;
    button.textContent = button.dataset.loading;
    loadModelViewer().then(function () {
      var viewer = document.createElement("model-viewer");
      viewer.setAttribute("src", new URL(figure.dataset.glb, document.baseURI).href);
      viewer.setAttribute("poster", picture.currentSrc || picture.src);
      viewer.setAttribute("alt", picture.alt);  // the text alternative, in the page's language
      viewer.setAttribute("aria-describedby", button.getAttribute("aria-describedby"));
      viewer.setAttribute("camera-controls", "");
      viewer.setAttribute("touch-action", "pan-y");
      viewer.setAttribute("shadow-intensity", "0.7");
      viewer.setAttribute("camera-orbit", "30deg 60deg auto");
      viewer.addEventListener("load", function () { figure.classList.add("design-viewer--loaded"); });
      picture.replaceWith(viewer);
      button.hidden = true;
    }).catch(function (error) {
      button.textContent = button.dataset.failed;
      console.warn(error);
    });
  }

  function setUp() {
    document.querySelectorAll("figure.design-viewer[data-glb]").forEach(function (figure) {
      var button = figure.querySelector(".design-viewer__open");
      if (!button || button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      button.addEventListener("click", function () { open(figure, button); });
    });
  }

  if (typeof document$ !== "undefined") document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();
