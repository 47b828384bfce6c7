/// The page's stylesheet and script, written inline (no external file, font or library).
enum ReportAssets {
    static let css = """
        body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#222;background:#f6f6f4}
        main{max-width:960px;margin:0 auto;padding:16px 24px 48px;background:#fff}
        h1{font-size:24px;margin:8px 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
        h3{font-size:15px;margin:20px 0 6px}p,li{line-height:1.45}.meta{color:#555;font-size:14px}
        figure{margin:16px 0;overflow-x:auto}figure svg{max-width:100%;height:auto;display:block}
        .notes{background:#fff8e6;border:1px solid #e6c200;padding:8px 14px;border-radius:4px}
        .controls{position:sticky;top:0;background:#fff;padding:8px 0;z-index:2;border-bottom:1px solid #eee}
        .controls input,.controls select{font-size:14px;padding:4px 6px;margin-right:12px}
        table{border-collapse:collapse;font-size:13px;margin:8px 0 16px}th,td{padding:3px 8px;border-bottom:1px solid #e4e4e4;text-align:right}
        th{background:#f2f2f2}td.t,th.t{text-align:left}tr.sig td{font-weight:600}
        nav a{margin-right:14px}#tip{position:fixed;pointer-events:none;background:rgba(20,20,20,.92);color:#fff;font-size:12px;
        padding:6px 8px;border-radius:4px;white-space:pre-line;max-width:360px;display:none;z-index:5}
        svg.zoomable{cursor:grab}svg.zoomable.searching .pt:not(.hl),svg.zoomable.searching .arrow:not(.hl){opacity:.12}
        svg.zoomable .zoom path{vector-effect:non-scaling-stroke}svg .hl{stroke:#000;stroke-width:2.2px}svg .pt.hl{stroke-width:1.6px}
        .pair[hidden]{display:none}
        @media print{body{background:#fff}main{max-width:none;padding:0}.controls,#tip,nav{display:none}
        .pair[hidden]{display:block!important}figure{break-inside:avoid;page-break-inside:avoid}h2{break-after:avoid}
        svg.zoomable .zoom{transform:none!important}}
        """

    static let script = """
        (function(){
        'use strict';
        var tip=document.getElementById('tip');
        document.addEventListener('mouseover',function(e){
          var el=e.target;var t=null;
          while(el&&el.nodeType===1&&el.tagName.toLowerCase()!=='svg'){
            for(var i=0;i<el.childNodes.length;i++){var c=el.childNodes[i];if(c.nodeType===1&&c.tagName.toLowerCase()==='title'){t=c;break;}}
            if(t)break;el=el.parentNode;}
          if(t&&el.tagName.toLowerCase()!=='svg'){tip.textContent=t.textContent;tip.style.display='block';}else{tip.style.display='none';}
        });
        document.addEventListener('mousemove',function(e){
          if(tip.style.display==='block'){tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+14)+'px';}
        });
        var zooms=[];
        Array.prototype.forEach.call(document.querySelectorAll('svg.zoomable'),function(svg){
          var g=svg.querySelector('g.zoom');if(!g)return;
          var s={k:1,x:0,y:0},drag=null;
          var ticks=svg.querySelectorAll('text[data-scale]');
          function relabel(){Array.prototype.forEach.call(ticks,function(t){
            if(t.getAttribute('data-label')===null)t.setAttribute('data-label',t.textContent);
            if(s.k===1&&s.x===0&&s.y===0){t.textContent=t.getAttribute('data-label');return;}
            var v=t.getAttribute('data-scale').split(' ').map(Number),p=Number(t.getAttribute('data-pixel'));
            var o=(p-(t.getAttribute('data-axis')==='x'?s.x:s.y))/s.k;
            var d=Math.max(0,-Math.floor(Math.log10(v[4]/s.k*1.000001)));
            var x=(v[0]+(o-v[2])*(v[1]-v[0])/(v[3]-v[2])).toFixed(d);t.textContent=Number(x)===0?(0).toFixed(d):x;});}
          function apply(){g.setAttribute('transform','translate('+s.x+','+s.y+') scale('+s.k+')');relabel();}
          function point(e){var m=svg.getScreenCTM();if(!m)return{x:0,y:0};var p=svg.createSVGPoint();p.x=e.clientX;p.y=e.clientY;
            p=p.matrixTransform(m.inverse());return{x:p.x,y:p.y-34};}
          svg.addEventListener('wheel',function(e){e.preventDefault();var p=point(e);var f=e.deltaY<0?1.2:1/1.2;
            var k=Math.min(40,Math.max(1,s.k*f));f=k/s.k;s.x=p.x-(p.x-s.x)*f;s.y=p.y-(p.y-s.y)*f;s.k=k;if(k===1){s.x=0;s.y=0;}apply();},{passive:false});
          svg.addEventListener('mousedown',function(e){drag={p:point(e),x:s.x,y:s.y};svg.style.cursor='grabbing';});
          window.addEventListener('mousemove',function(e){if(!drag)return;var p=point(e);s.x=drag.x+p.x-drag.p.x;s.y=drag.y+p.y-drag.p.y;apply();});
          window.addEventListener('mouseup',function(){drag=null;svg.style.cursor='';});
          svg.addEventListener('dblclick',function(){s={k:1,x:0,y:0};apply();});
          zooms.push(svg);
        });
        var box=document.getElementById('search'),status=document.getElementById('search-status');
        function search(){
          var q=(box.value||'').trim().toLowerCase();var count=0,names={};
          zooms.forEach(function(svg){
            var els=svg.querySelectorAll('[data-concept]');var exact=false;
            if(q){for(var i=0;i<els.length;i++){if(els[i].getAttribute('data-concept').toLowerCase()===q){exact=true;break;}}}
            svg.classList.toggle('searching',q.length>0);
            for(var j=0;j<els.length;j++){var el=els[j];var n=el.getAttribute('data-concept');var v=n.toLowerCase();
              var hit=q.length>0&&(exact?v===q:v.indexOf(q)===0);el.classList.toggle('hl',hit);
              if(hit){names[n]=1;if(el.classList.contains('pt'))el.parentNode.appendChild(el);}}
          });
          count=Object.keys(names).length;
          status.textContent=q?(count?count+' concept'+(count>1?'s':'')+' highlighted':'no concept matches'):'';
        }
        if(box){box.addEventListener('input',search);
          var m=/[#&]q=([^&]*)/.exec(location.hash);if(m){try{box.value=decodeURIComponent(m[1]);}catch(err){}search();}}
        var sel=document.getElementById('pair');
        function showPair(){var v=sel.value;Array.prototype.forEach.call(document.querySelectorAll('section.pair'),function(s){
          s.hidden=s.getAttribute('data-pair')!==v;});}
        if(sel){sel.addEventListener('change',showPair);showPair();}
        })();
        """
}
