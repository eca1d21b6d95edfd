// Multi-file upload with a progress bar and a result per file. Each file goes in its own request, two at a
// time, so one bad file cannot spoil the others and progress is exact. The antiforgery token travels in a
// header, which lets the server stream the body instead of reading it as a form.
(function () {
    const form = document.getElementById('upload-form');
    if (!form || !window.XMLHttpRequest || !window.FormData) return;
    const input = form.querySelector('input[type=file]');
    const table = document.getElementById('upload-results');
    const body = table.querySelector('tbody');
    const next = document.getElementById('upload-next');
    const token = form.querySelector('input[name=__RequestVerificationToken]').value;
    const maxBytes = Number(form.dataset.maxBytes);
    const parallel = 2;

    form.addEventListener('submit', function (e) {
        e.preventDefault();
        const files = Array.from(input.files);
        if (files.length === 0) { input.focus(); return; }
        table.classList.remove('d-none');
        const queue = files.map(addRow);
        input.value = '';
        let running = 0;
        const pump = function () {
            while (running < parallel && queue.length > 0) {
                running++;
                send(queue.shift()).finally(function () { running--; pump(); });
            }
        };
        pump();
    });

    function addRow(file) {
        const row = document.createElement('tr');
        row.dataset.testid = 'upload-row';
        const name = document.createElement('td');
        name.textContent = file.name;
        const progressCell = document.createElement('td');
        const progress = document.createElement('progress');
        progress.className = 'w-100';
        progress.max = 1;
        progress.value = 0;
        progressCell.appendChild(progress);
        const result = document.createElement('td');
        result.textContent = 'Waiting…';
        row.append(name, progressCell, result);
        body.appendChild(row);
        return { file: file, progress: progress, result: result };
    }

    function send(item) {
        return new Promise(function (resolve) {
            if (item.file.size > maxBytes) {
                fail(item, 'The file is larger than the limit of ' + Math.floor(maxBytes / 1048576) + ' MB.');
                return resolve();
            }
            const data = new FormData();
            data.append('files', item.file, item.file.name);
            const xhr = new XMLHttpRequest();
            xhr.open('POST', form.action || window.location.href);
            xhr.setRequestHeader('RequestVerificationToken', token);
            xhr.setRequestHeader('Accept', 'application/json');
            item.result.textContent = 'Uploading…';
            xhr.upload.addEventListener('progress', function (e) {
                if (e.lengthComputable) item.progress.value = e.loaded / e.total;
            });
            xhr.addEventListener('load', function () {
                item.progress.value = 1;
                let outcome = null;
                try { outcome = JSON.parse(xhr.responseText)[0]; } catch (_) { }
                if (outcome && outcome.workId) ok(item, outcome.url);
                else fail(item, outcome && outcome.error ? outcome.error : 'The upload failed (HTTP ' + xhr.status + '). Try again.');
                resolve();
            });
            xhr.addEventListener('error', function () { fail(item, 'The connection failed. Try again.'); resolve(); });
            xhr.send(data);
        });
    }

    function ok(item, url) {
        item.result.textContent = '';
        const text = document.createElement('span');
        text.className = 'text-success';
        text.dataset.testid = 'upload-ok';
        text.textContent = 'Uploaded. ';
        const link = document.createElement('a');
        link.href = url;
        link.textContent = 'Open';
        item.result.append(text, link);
        next.classList.remove('d-none');
    }

    function fail(item, message) {
        item.result.textContent = '';
        const text = document.createElement('span');
        text.className = 'text-danger';
        text.dataset.testid = 'upload-error';
        text.textContent = message;
        item.result.appendChild(text);
    }
})();
